#!/usr/bin/env node
// The WeChat build is compiled from the same sources as H5, but WeChat has no DOM: no `window`,
// `document`, `fetch`, IndexedDB, object URLs or canvas elements. A browser-only call that runs on
// weapp throws there, on a phone, far from any test. This check reads apps/mini/src with the
// TypeScript compiler and fails on every use of a browser-only global, or of a function tagged
// `@h5`, that is not behind an H5 guard:
//   - inside `if (process.env.TARO_ENV === 'h5') { … }`, the true side of `… === 'h5' ? a : b`,
//     or the right side of `… === 'h5' && …`;
//   - after `if (process.env.TARO_ENV !== 'h5') return/throw …` earlier in the same block;
//   - inside a function (or a module's exports) tagged `@h5` in its doc comment: such a function may
//     itself only be called behind a guard (or from another `@h5` function), and this is checked too.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `--src DIR` checks another tree (the tests give it small examples).
const srcArg = process.argv.indexOf('--src');
const SRC = srcArg > 0 ? path.resolve(process.argv[srcArg + 1]) : path.join(ROOT, 'apps/mini/src');

/** Globals WeChat's JavaScript environment does not have. */
const BROWSER_ONLY = new Set([
  'window',
  'document',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'fetch',
  'Blob',
  'FileReader',
  'Image',
  'HTMLCanvasElement',
  'XMLHttpRequest',
]);
/** `URL` exists on weapp only as Taro's small stand-in: these members do not. */
const BROWSER_ONLY_MEMBERS = new Map([['URL', new Set(['createObjectURL', 'revokeObjectURL'])]]);

const IS_H5 = /^process\.env\.TARO_ENV\s*===\s*['"]h5['"]$/;
const NOT_H5 = /^process\.env\.TARO_ENV\s*!==\s*['"]h5['"]$/;

const unwrap = (e) => (ts.isParenthesizedExpression(e) ? unwrap(e.expression) : e);
const isOp = (e, kind) => ts.isBinaryExpression(e) && e.operatorToken.kind === kind;
/** True only where the H5 test holds: the test itself, or an `&&` chain that includes it. */
const impliesH5 = (expr, sf) => {
  const e = unwrap(expr);
  if (isOp(e, ts.SyntaxKind.AmpersandAmpersandToken)) return impliesH5(e.left, sf) || impliesH5(e.right, sf);
  return IS_H5.test(e.getText(sf));
};
/** True wherever it is not H5: the negated test, or an `||` chain that includes it. */
const impliesNotH5 = (expr, sf) => {
  const e = unwrap(expr);
  if (isOp(e, ts.SyntaxKind.BarBarToken)) return impliesNotH5(e.left, sf) || impliesNotH5(e.right, sf);
  return NOT_H5.test(e.getText(sf));
};

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

const sources = files(SRC).map((file) =>
  ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest, true),
);

const hasH5Tag = (node) => ts.getJSDocTags(node).some((t) => t.tagName.text === 'h5');

/** Names declared `@h5` (functions, and consts holding functions), per file, and whole `@h5` files. */
const h5Names = new Map();
for (const sf of sources) {
  const names = new Set();
  const fileTagged = sf.statements.length > 0 && /^\s*\/\*\*[\s\S]*?@h5-module\b/.test(sf.getFullText());
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && (fileTagged || hasH5Tag(st))) names.add(st.name.text);
    if (ts.isVariableStatement(st) && (fileTagged || hasH5Tag(st))) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    }
  }
  h5Names.set(sf.fileName, { names, fileTagged });
}

/** The `@h5` names a file can call: its own, and those it imports by name from our modules. */
function h5CalleesOf(sf) {
  const own = h5Names.get(sf.fileName);
  const callees = new Set(own.names);
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause?.namedBindings) continue;
    const spec = st.moduleSpecifier.text;
    if (!spec.startsWith('.')) continue;
    const base = path.resolve(path.dirname(sf.fileName), spec);
    const target = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => h5Names.has(f));
    if (!target) continue;
    const { names } = h5Names.get(target);
    const bindings = st.importClause.namedBindings;
    if (!ts.isNamedImports(bindings)) continue;
    for (const el of bindings.elements) {
      if (names.has((el.propertyName ?? el.name).text)) callees.add(el.name.text);
    }
  }
  return callees;
}

const endsFlow = (st) =>
  ts.isReturnStatement(st) ||
  ts.isThrowStatement(st) ||
  (ts.isBlock(st) && st.statements.length > 0 && endsFlow(st.statements.at(-1)));

/** Whether `node` only runs on H5, judging by the code around it. */
function guarded(node, sf) {
  if (h5Names.get(sf.fileName).fileTagged) return true;
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (ts.isIfStatement(p) && child === p.thenStatement && impliesH5(p.expression, sf)) return true;
    if (ts.isIfStatement(p) && child === p.elseStatement && impliesNotH5(p.expression, sf)) return true;
    if (ts.isConditionalExpression(p) && child === p.whenTrue && impliesH5(p.condition, sf)) return true;
    if (isOp(p, ts.SyntaxKind.AmpersandAmpersandToken) && child === p.right && impliesH5(p.left, sf))
      return true;
    if (ts.isBlock(p) || ts.isSourceFile(p)) {
      const stmts = p.statements;
      for (const st of stmts.slice(0, stmts.indexOf(child))) {
        if (ts.isIfStatement(st) && impliesNotH5(st.expression, sf) && endsFlow(st.thenStatement)) {
          return true;
        }
      }
    }
    if ((ts.isFunctionDeclaration(p) || ts.isVariableStatement(p)) && hasH5Tag(p)) return true;
    if ((ts.isArrowFunction(p) || ts.isFunctionExpression(p)) && ts.isVariableDeclaration(p.parent)) {
      const statement = p.parent.parent?.parent;
      if (statement && ts.isVariableStatement(statement) && hasH5Tag(statement)) return true;
    }
  }
  return false;
}

/** An identifier that names the global (not a property name, a declaration or a type). */
function isValueReference(id) {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isPropertyAssignment(p) && p.name === id) return false;
  if (ts.isShorthandPropertyAssignment(p)) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) && p.name === id)
    return false;
  if (ts.isFunctionDeclaration(p) || ts.isImportSpecifier(p) || ts.isPropertySignature(p)) return false;
  if (ts.isTypeReferenceNode(p) || ts.isQualifiedName(p) || ts.isTypeQueryNode(p)) return false;
  if (ts.isJsxAttribute(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) return false;
  return true;
}

/** Names declared in the file itself (a local `location` is not the browser's). */
function localNames(sf) {
  const names = new Set();
  const visit = (n) => {
    if (
      (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) &&
      ts.isIdentifier(n.name)
    ) {
      names.add(n.name.text);
    }
    if ((ts.isFunctionDeclaration(n) || ts.isImportSpecifier(n) || ts.isImportClause(n)) && n.name) {
      names.add(n.name.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return names;
}

const problems = [];
for (const sf of sources) {
  const callees = h5CalleesOf(sf);
  const locals = localNames(sf);
  const visit = (n) => {
    if (ts.isIdentifier(n) && isValueReference(n)) {
      const name = n.text;
      let what = null;
      if (BROWSER_ONLY.has(name) && !locals.has(name)) what = name;
      const members = BROWSER_ONLY_MEMBERS.get(name);
      if (members && ts.isPropertyAccessExpression(n.parent) && members.has(n.parent.name.text)) {
        what = `${name}.${n.parent.name.text}`;
      }
      if (!what && callees.has(name) && ts.isCallExpression(n.parent) && n.parent.expression === n) {
        what = `${name}()（@h5）`;
      }
      if (what && !guarded(n, sf)) {
        const { line } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
        problems.push(`${path.relative(ROOT, sf.fileName)}:${line + 1}  ${what}`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

if (problems.length) {
  console.error(
    `微信小程序中没有这些浏览器接口，以下调用未放在 H5 判断（process.env.TARO_ENV === 'h5'）之内，` +
      `也不在标注 @h5 的函数里：\n${problems.map((p) => `  ${p}`).join('\n')}`,
  );
  process.exit(1);
}
console.log(`weapp sources: ${sources.length} files, every browser-only call is behind an H5 guard`);
