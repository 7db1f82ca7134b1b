/** Injection tokens for values that are not classes of their own. */
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const CLOCK = Symbol('CLOCK');
export const DATABASE = Symbol('DATABASE');
export const REDIS = Symbol('REDIS');
export const I18N = Symbol('I18N');
export const METRICS = Symbol('METRICS');
export const CIPHER = Symbol('CIPHER');
