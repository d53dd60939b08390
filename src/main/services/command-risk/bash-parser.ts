// The bash grammar adapter: tree-sitter-bash (WebAssembly) loaded once, then parsing synchronously.
// The .wasm files are found through Node's resolver, so sources, tests and the built main all find them.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { OpsError } from '../../../shared/errors';

export type BashNode = Node;

export interface BashParser {
  /**
   * Parses and hands the root (`program`) to `visit`, or null when tree-sitter gave up. The tree lives
   * in WebAssembly memory and is freed after `visit` returns, so no node may be kept.
   */
  parse<T>(text: string, visit: (root: BashNode | null) => T): T;
}

let loading: Promise<BashParser> | null = null;

/** Where tree-sitter-bash.wasm is: next to the package's package.json (it has no exports map). */
export function bashWasmPath(): string {
  const from = typeof __filename === 'string' ? __filename : path.join(process.cwd(), 'index.js');
  const req = createRequire(from);
  return path.join(path.dirname(req.resolve('tree-sitter-bash/package.json')), 'tree-sitter-bash.wasm');
}

/** Loads the grammar once per process; later calls share the same parser. A failed load is retried next time. */
export function loadBashParser(): Promise<BashParser> {
  if (!loading) {
    loading = (async () => {
      let language: Language;
      try {
        await Parser.init();
        language = await Language.load(new Uint8Array(fs.readFileSync(bashWasmPath())));
      } catch (err) {
        throw new OpsError(
          'unavailable',
          'The command checker could not load its bash grammar (tree-sitter-bash.wasm), so it cannot tell read-only commands apart. Reinstall the console dependencies (npm install) so node_modules holds web-tree-sitter and tree-sitter-bash.',
          (err as Error).message,
        );
      }
      const parser = new Parser();
      parser.setLanguage(language);
      return {
        parse<T>(text: string, visit: (root: BashNode | null) => T): T {
          const tree = parser.parse(text);
          try {
            return visit(tree ? tree.rootNode : null);
          } finally {
            tree?.delete();
          }
        },
      };
    })();
    // A failed load is not kept: the next call tries again (the caller got the error above).
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
