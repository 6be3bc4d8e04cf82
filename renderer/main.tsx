import './styles/base.css';
import './styles/app.css';
import './styles/files.css';
import './styles/viewer.css';
import './styles/markdown.css';
import { effect } from '@preact/signals';
import { render } from 'preact';
import type { Backend } from '../common/client/Backend.ts';
import { bridgeGlobalName } from '../common/ipc/channels.ts';
import { openConversation } from './actions/conversations.ts';
import { errorDetails } from './actions/errorText.ts';
import { followState } from './actions/followState.ts';
import { trackVisibility } from './actions/visibility.ts';
import { IpcBackend, isBridge } from './backend/IpcBackend.ts';
import { setBackend } from './backend/currentBackend.ts';
import { chooseFileAddressing } from './backend/fileAddress.ts';
import { App } from './components/App.tsx';
import { language } from './i18n/language.ts';
import { translate } from './i18n/translate.ts';
import { startClock } from './state/clock.ts';
import { connectBackend } from './state/connectBackend.ts';
import { deployment, signInNotice, startup } from './state/uiState.ts';
import { startWebExtras } from './web/webExtras.ts';
import { startWebNotifications } from './notify/webNotifications.ts';
import type { IncomingStreams } from './notify/webNotifications.ts';

function bridgeGlobal(): unknown {
  return (window as unknown as Record<string, unknown>)[bridgeGlobalName];
}

async function chooseBackend(): Promise<{ backend: Backend; desktop: boolean }> {
  const bridge = bridgeGlobal();
  if (isBridge(bridge)) {
    const backend = new IpcBackend(bridge);
    bridge.onNavigate((conversationId) => {
      window.focus();
      openConversation(conversationId);
    });
    return { backend, desktop: true };
  }
  // Only the web client carries the client core in the page; the desktop build never loads it.
  const { createInPageBackend } = await import('./backend/createInPageBackend.ts');
  const backend = await createInPageBackend({
    onEmbedFailure: (reason) => {
      signInNotice.value =
        reason === 'expired'
          ? 'signIn.embedExpired'
          : reason === 'disabled'
            ? 'signIn.error.account_disabled'
            : 'signIn.embedFailed';
    },
  });
  return { backend, desktop: false };
}

async function start(): Promise<void> {
  effect(() => {
    document.documentElement.lang = language.value;
    // The web client puts the unread count in the title (webExtras); the desktop window just names the app.
    if (startup.value.phase !== 'ready' || isBridge(bridgeGlobal()))
      document.title = translate(language.value, 'appName');
  });
  render(<App />, document.getElementById('app')!);
  try {
    const { backend, desktop } = await chooseBackend();
    setBackend(backend);
    chooseFileAddressing(desktop ? 'desktop' : 'hub');
    document.documentElement.classList.toggle('desktop', desktop);
    await connectBackend(backend);
    deployment.value = await backend.deployment().catch(() => null);
    startClock();
    followState();
    trackVisibility();
    if (!desktop) startWebExtras();
    // The web client notifies by itself (the desktop app's main process does it natively).
    if (!desktop && 'onIncoming' in backend) startWebNotifications(backend as Backend & IncomingStreams);
    startup.value = { phase: 'ready' };
  } catch (error) {
    startup.value = { phase: 'failed', message: errorDetails(error).message };
  }
}

void start();
