// Download the playbook as a picture (SVG, or PNG rendered from that SVG) or as its JSON.
// The picture is drawn from the graph model (model/svgpicture.js), not copied from the page.
import { buildSvg } from './model/svgpicture.js';

function download(url, name) {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: the download starts asynchronously from the URL.
  if (url.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// A canvas side over ~16k pixels (or ~268M pixels in all) fails in Chromium; stay well under.
const MAX_PNG_SIDE = 8000;

/** The SVG text drawn into a canvas at `scale` (2: sharp on high-density screens), as PNG. */
export async function svgToPng(svg, width, height, scale = 2) {
  const s = Math.max(0.1, Math.min(scale, MAX_PNG_SIDE / Math.max(width, height, 1)));
  const img = new Image();
  img.decoding = 'sync';
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    img.src = url;
    await img.decode();
  } finally {
    URL.revokeObjectURL(url);
  }
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * s));
  canvas.height = Math.max(1, Math.round(height * s));
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'));
  return { blob, scale: s, width: canvas.width, height: canvas.height };
}

/** `rf` is React Flow's instance: its edges carry what a shown run says about them. */
export async function exportPicture(kind, rf, nodes, name) {
  if (kind === 'json') {
    const text = JSON.stringify(window.playbookEditor.getJson(), null, 4);
    download(URL.createObjectURL(new Blob([text], { type: 'application/json' })), `${name}.json`);
    return;
  }
  const pic = buildSvg(nodes, rf.getEdges());
  let info = { kind, width: pic.width, height: pic.height, scale: pic.scale, origin: pic.origin };
  if (kind === 'svg') {
    download(URL.createObjectURL(new Blob([pic.svg], { type: 'image/svg+xml' })), `${name}.svg`);
  } else {
    const png = await svgToPng(pic.svg, pic.width, pic.height);
    info = { ...info, width: png.width, height: png.height, scale: pic.scale * png.scale };
    download(URL.createObjectURL(png.blob), `${name}.png`);
  }
  // Where flow coordinates land in the picture: pixel = (flow - origin) * scale (tests read it).
  window.playbookEditor.lastExport = info;
}
