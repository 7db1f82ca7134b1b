import type { Wizard } from '../../wizards/wizard';

/** A bare /code (or a mistyped code): the next text is taken as the attendance code. */
export const attendanceCodeWizard: Wizard = {
  waiting: (ctx) => (ctx.session.attendanceCode?.awaiting ? { hint: 'wizard-hint.attendance-code' } : null),
  cancel(ctx) {
    ctx.session.attendanceCode = undefined;
    return 'attendance.code-cancelled';
  },
};
