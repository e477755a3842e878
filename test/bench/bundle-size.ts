// npm run bench, part 3: the renderer's initial JavaScript, gzipped.
//   Initial = what the page loads before its first screen: the entry chunk that index.html's
//   <script type="module"> names, every chunk it imports statically (Vite's manifest, followed
//   to the end), and anything index.html preloads. Chunks behind a dynamic import() (the Markdown
//   renderer, highlight.js languages beyond the common set) load later and are listed apart.
//   Each file is gzipped on its own (level 9) and the sizes added up; 1 KB = 1,000 bytes.
// Target: initial JavaScript <= 200 KB gzipped. Exit code 1 if missed. Reads out/renderer, so
// build the renderer first (npm run bench does).
import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const TARGET_KB = 200;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const rendererDir = path.resolve('out/renderer');
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

async function gzippedSize(file: string): Promise<number> {
  return gzipSync(await fs.readFile(path.join(rendererDir, file)), { level: 9 }).length;
}

/** The chunk files reachable from `keys` by static imports, in the manifest's own terms. */
function staticClosure(manifest: Manifest, keys: string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`The manifest names ${key} but has no entry for it.`);
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const key of keys) visit(key);
  return files;
}

/** Script files index.html loads or preloads: module scripts, classic scripts, modulepreload links. */
function scriptsInHtml(html: string): string[] {
  const files: string[] = [];
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) files.push(match[1] ?? '');
  for (const match of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)) files.push(match[1] ?? '');
  return files.map((file) => path.posix.normalize(file.replace(/^\.\//, '')));
}

async function main(): Promise<void> {
  const [html, manifestText] = await Promise.all([
    fs.readFile(path.join(rendererDir, 'index.html'), 'utf8'),
    fs.readFile(path.join(rendererDir, '.vite/manifest.json'), 'utf8'),
  ]).catch((error: unknown) => {
    throw new Error(`out/renderer has no index.html or .vite/manifest.json (run from the repository root after node scripts/build.mjs --only=renderer): ${(error as Error).message}`);
  });
  const manifest = JSON.parse(manifestText) as Manifest;
  const entries = Object.keys(manifest).filter((key) => manifest[key]?.isEntry);
  const fromManifest = staticClosure(manifest, entries);
  const fromHtml = scriptsInHtml(html);
  // The manifest and the page must agree on where the page starts; otherwise this measures the wrong thing.
  const entryFiles = entries.map((key) => manifest[key]?.file);
  if (entryFiles.length === 0 || !entryFiles.every((file) => file !== undefined && fromHtml.includes(file))) {
    throw new Error(`index.html loads ${fromHtml.join(', ') || 'no script'}, the manifest's entries are ${entryFiles.join(', ') || 'none'}.`);
  }
  const initial = [...new Set([...fromManifest, ...fromHtml])].sort();
  const initialSizes = await Promise.all(initial.map(async (file) => ({ file, bytes: await gzippedSize(file) })));
  const initialBytes = initialSizes.reduce((sum, { bytes }) => sum + bytes, 0);

  // Everything else is loaded by import() when first needed.
  const later = Object.values(manifest).filter((chunk) => !initial.includes(chunk.file) && chunk.file.endsWith('.js'));
  const isLanguage = (chunk: ManifestChunk) => chunk.src?.includes('highlight.js/es/languages/') ?? false;
  const laterSizes = await Promise.all(later.map(async (chunk) => ({ chunk, bytes: await gzippedSize(chunk.file) })));
  const languages = laterSizes.filter(({ chunk }) => isLanguage(chunk)).map(({ bytes }) => bytes);
  const others = laterSizes.filter(({ chunk }) => !isLanguage(chunk));

  console.log('Renderer JavaScript, gzipped (level 9, each file on its own; 1 KB = 1,000 bytes):');
  console.log(`  initial (index.html's entry, its static imports, its preloads): ${kb(initialBytes)} in ${initial.length} file(s)`);
  for (const { file, bytes } of initialSizes) console.log(`    ${file.padEnd(48)} ${kb(bytes).padStart(10)}`);
  console.log('  loaded later, by import():');
  for (const { chunk, bytes } of others) console.log(`    ${chunk.file.padEnd(48)} ${kb(bytes).padStart(10)}  (${chunk.src ?? chunk.file})`);
  if (languages.length > 0) {
    console.log(`    ${languages.length} highlight.js language chunks, ${kb(Math.min(...languages))} to ${kb(Math.max(...languages))} each, ${kb(languages.reduce((a, b) => a + b, 0))} in all`);
  }

  const pass = initialBytes <= TARGET_KB * 1000;
  console.log('\nTargets:');
  console.log(`  ${pass ? 'PASS' : 'FAIL'}  initial JavaScript <= ${TARGET_KB} KB gzipped: ${kb(initialBytes)}`);

  const outDir = path.resolve('test-results/bench');
  await fs.mkdir(outDir, { recursive: true });
  const file = path.join(outDir, 'bundle-size.json');
  const record = {
    date: new Date().toISOString(),
    targetBytes: TARGET_KB * 1000,
    initialBytes,
    initial: initialSizes,
    later: others.map(({ chunk, bytes }) => ({ file: chunk.file, src: chunk.src, bytes })),
    languageChunks: { count: languages.length, bytes: languages.reduce((a, b) => a + b, 0) },
    pass,
  };
  await fs.writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`\nNumbers written to ${path.relative(process.cwd(), file)}`);
  process.exitCode = pass ? 0 : 1;
}

await main();
