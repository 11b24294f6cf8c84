// Entry point: mounts the editor into <div id="playbook-editor" data-playbook-id data-api-base data-readonly>.
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import App from './App.jsx';

function mount(el) {
  const props = {
    playbookId: el.dataset.playbookId,
    apiBase: el.dataset.apiBase || '/api',
    readOnly: el.dataset.readonly === '1',
  };
  createRoot(el).render(<App {...props} />);
}

const el = document.getElementById('playbook-editor');
if (el) mount(el);
