import type { Wizard } from '../../wizards/wizard';
import { awaitingIdentityUpload, identityUploadDone } from '../../shared/identity-upload';

/** «Загрузить документ»: the file awaited for a while. */
export const identityUploadWizard: Wizard = {
  waiting: async (ctx) => ((await awaitingIdentityUpload(ctx)) ? { hint: 'wizard-hint.identity-upload' } : null),
  async cancel(ctx) {
    await identityUploadDone(ctx);
    return 'identity.upload-cancelled';
  },
};
