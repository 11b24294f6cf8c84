// Entry point: mounts the editor into <div id="playbook-editor" data-playbook-id data-api-base data-readonly>,
// or the run page into <div id="run-view" data-run-id data-api-base data-rest-base> (one bundle, two mounts).
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import App from './App.jsx';
import RunApp from './run/RunApp.jsx';
import { mountOnce } from './mount.js';

function mount(el) {
  const props = {
    playbookId: el.dataset.playbookId,
    apiBase: el.dataset.apiBase || '/api',
    readOnly: el.dataset.readonly === '1',
    restBase: el.dataset.restBase || '/rest',
  };
  createRoot(el).render(<App {...props} />);
}

mountOnce(document.getElementById('playbook-editor'), mount);
mountOnce(document.getElementById('run-view'), (runEl) => {
  createRoot(runEl).render(<RunApp runId={Number(runEl.dataset.runId)} apiBase={runEl.dataset.apiBase || '/api'} restBase={runEl.dataset.restBase || '/rest'} />);
});
