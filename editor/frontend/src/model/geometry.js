// Block sizes shared by the node component, layout and picture export. SOAR places blocks
// ~180-220 px apart horizontally, so blocks stay narrow enough not to overlap on import.
export const NODE_W = 170;
export const TERMINAL_W = 120;

export function nodeHeight(soar) {
  const t = soar?.type || soar?.data?.type;
  if (t === 'start' || t === 'end') return 40;
  return 64;
}
