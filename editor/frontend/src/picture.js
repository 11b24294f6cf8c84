// Download the whole canvas as PNG/SVG (html-to-image, as in React Flow's "download image"
// example) or the playbook JSON.
import { toPng, toSvg } from 'html-to-image';
import { getViewportForBounds } from '@xyflow/react';

function download(url, name) {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

export async function exportPicture(kind, rf, nodes, name) {
  if (kind === 'json') {
    const text = JSON.stringify(window.playbookEditor.getJson(), null, 4);
    download(URL.createObjectURL(new Blob([text], { type: 'application/json' })), `${name}.json`);
    return;
  }
  await frame(); // the caller switched off culling; let every node render
  await frame();
  const bounds = rf.getNodesBounds(nodes);
  const scale = Math.min(1, 6000 / Math.max(bounds.width, bounds.height, 1));
  const width = Math.ceil(bounds.width * scale + 80);
  const height = Math.ceil(bounds.height * scale + 80);
  const vp = getViewportForBounds(bounds, width, height, 0.05, 2, 0.02);
  const el = document.querySelector('.react-flow__viewport');
  const opts = {
    backgroundColor: '#f6f8fb', width, height,
    style: { width: `${width}px`, height: `${height}px`, transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.zoom})` },
  };
  const url = kind === 'svg' ? await toSvg(el, opts) : await toPng(el, opts);
  download(url, `${name}.${kind}`);
  window.playbookEditor.lastExport = { kind, width, height, bytes: url.length };
}
