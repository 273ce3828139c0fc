import { connectToHost } from '../vscodeApi';
import type { CompareHostMessage, CompareViewState, CompareWebviewMessage } from './compareMessages';
import { renderComparison, renderEmpty } from './renderComparison';

/** The compare view: renders what the host sends, saves it for restoring, and sends the person's clicks back. */
export function startCompareView(): void {
  const host = connectToHost<CompareWebviewMessage, CompareViewState>();
  const root = document.createElement('main');
  document.body.append(root);
  const actions = {
    reveal: (start: number, end: number) => host.postMessage({ type: 'revealToken', start, end }),
    addTokenizer: () => host.postMessage({ type: 'addTokenizer' }),
    removeTokenizer: (index: number) => host.postMessage({ type: 'removeTokenizer', index }),
    openSettings: () => host.postMessage({ type: 'openSettings' }),
  };

  const saved = host.getState()?.last;
  if (saved) renderComparison(root, saved, actions);

  window.addEventListener('message', (event: MessageEvent<CompareHostMessage>) => {
    const message = event.data;
    switch (message.type) {
      case 'comparison':
        document.body.classList.remove('busy');
        renderComparison(root, message, actions);
        host.setState({ last: message });
        return;
      case 'busy':
        document.body.classList.add('busy');
        return;
      case 'empty':
        document.body.classList.remove('busy');
        renderEmpty(root, message.reason, actions);
        host.setState({});
        return;
    }
  });
  host.postMessage({ type: 'ready' });
}
