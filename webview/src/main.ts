/**
 * Browser entry of the webview bundle (dist/webview.js). Every webview page names its view in body[data-view]
 * (see client/src/webviewHtml.ts); this starts that view.
 */
import { startCompareView } from './compare/compareApp';
import { COMPARE_VIEW } from './compare/compareMessages';

const VIEWS: Record<string, () => void> = {
  [COMPARE_VIEW]: startCompareView,
};

const view = document.body.dataset.view ?? '';
const start = VIEWS[view];
if (start) start();
else document.body.textContent = `Embedding Lens: no view named "${view}".`;
