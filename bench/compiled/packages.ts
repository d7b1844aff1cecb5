/** Our packages the benchmark compiles and measures, by directory under packages/ (each is `@sessionware/<name>`). */
export const COMPILED_PACKAGES = ['core', 'express', 'koa', 'redis'] as const;
