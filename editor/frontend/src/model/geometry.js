// Block sizes shared by the node component, layout and picture export. SOAR places blocks
// ~180-220 px apart horizontally, so blocks stay narrow enough not to overlap on import.
export const NODE_W = 170;
export const TERMINAL_W = 120;

export function nodeHeight(soar) {
  const t = soar?.type || soar?.data?.type;
  if (t === 'start' || t === 'end') return 40;
  return 64;
}

/** A node's box in flow coordinates: its measured size, else the size the node component draws
 *  (placement and picture export share it, so both see the same block). */
export function blockBox(node) {
  const soar = node.data?.soar;
  const t = soar?.type || soar?.data?.type;
  const terminal = t === 'start' || t === 'end';
  return {
    x: node.position.x,
    y: node.position.y,
    w: node.measured?.width || node.width || (terminal ? TERMINAL_W : NODE_W),
    h: node.measured?.height || node.height || nodeHeight(soar),
  };
}
