import { readFileSync, readdirSync } from 'node:fs';
import { screenWordsDetector } from './support/screen-words.ts';
const find = screenWordsDetector();
const dir = 'test-artifacts/screens/text';
for (const f of readdirSync(dir)) {
  const screens = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as { test: string; url: string; text: string }[];
  const seen = new Set<string>();
  for (const s of screens)
    for (const x of find(s.text)) {
      const k = `${x.kind} ${x.match}`;
      if (seen.has(k)) continue;
      seen.add(k);
      console.log(f, '|', k, '|', x.line.slice(0, 140), '|', s.url, '|', s.test.slice(0, 80));
    }
  console.log(f, screens.length, 'screens');
}
