// Relative links and anchors in Markdown, checked the way GitHub renders them: a heading's anchor
// is its text, lower-cased, stripped of punctuation, spaces turned to hyphens, and numbered from
// -1 when it repeats. Links inside code are not links.
import { dirname, join, normalize } from 'node:path';

/** Markdown with fenced blocks blanked out, line for line. */
function withoutCode(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

/** GitHub's slug of a heading's text. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a file's headings make. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of withoutCode(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** The targets of a file's Markdown links, outside code. */
export function linkTargets(markdown: string): string[] {
  const prose = withoutCode(markdown).map((line) => line.replace(/`[^`]*`/g, '')).join('\n');
  return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
}

/** What a reader of the repository can open: a path relative to the root, and its text when it is Markdown. */
export interface Repository {
  exists(path: string): boolean;
  read(path: string): string;
}

/** Each broken relative link or anchor in `file`, as "file: target (why)". */
export function brokenLinks(file: string, markdown: string, repository: Repository): string[] {
  const problems: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [path = '', anchor] = target.split('#');
    const resolved = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path)));
    if (!repository.exists(resolved)) {
      problems.push(`${file}: ${target} (no such file)`);
      continue;
    }
    if (anchor !== undefined && resolved.endsWith('.md') && !anchors(repository.read(resolved)).has(anchor)) problems.push(`${file}: ${target} (no such anchor)`);
  }
  return problems;
}
