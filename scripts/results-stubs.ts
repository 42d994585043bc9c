// Writes the results page of every measurement not yet run here, so the docs' links resolve
// before the first run; a page a run wrote is left alone.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { notMeasuredPage, RESULTS_DIR, RESULTS_PAGES, writeResultsPage } from '../harness/results-page';

for (const page of Object.values(RESULTS_PAGES)) {
  if (!existsSync(join(RESULTS_DIR, page.file))) console.log(`Written ${writeResultsPage(page, notMeasuredPage(page))}`);
}
