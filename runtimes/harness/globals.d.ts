/** The runtime the bundle was built for, defined by the bundler (`node22`, `workerd`, ...). */
declare const __MATRIX_RUNTIME__: string;
