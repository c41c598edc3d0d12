import ts from 'typescript';
import type { Plugin } from 'vite';

const typeScriptFile = /\.(?:[cm]?ts|tsx)$/;
const decoratorLine = /^\s*@[A-Za-z_$][\w$.]*\s*(?:\(|$)/m;

/**
 * Vite 8 transforms TypeScript with Oxc, which lowers only legacy (experimentalDecorators)
 * decorators, not standard TC39 ones (https://github.com/oxc-project/oxc/issues/9170), and
 * neither Node 20 nor Chromium runs them natively. This pre-transform lowers the files that
 * use a decorator with TypeScript itself (already a dev dependency), then lets Oxc do the rest.
 */
export function lowerStandardDecorators(): Plugin {
  return {
    name: 'eventwire:lower-standard-decorators',
    enforce: 'pre',
    transform(code, id) {
      const path = id.split('?')[0] ?? id;
      if (!typeScriptFile.test(path) || path.includes('/node_modules/') || !decoratorLine.test(code)) return null;
      const output = ts.transpileModule(code, {
        fileName: path,
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          jsx: ts.JsxEmit.Preserve,
          sourceMap: true,
          inlineSources: true,
        },
      });
      return { code: output.outputText.replace(/\/\/# sourceMappingURL=.*$/m, ''), map: output.sourceMapText ?? null };
    },
  };
}
