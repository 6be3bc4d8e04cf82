/**
 * Draws the app icon with an unread badge on a canvas and returns it as a data: URL (the CSP
 * allows data: images; nothing is fetched). `text` empty: the plain icon.
 */
export function drawFavicon(text: string, mention: boolean): string {
  const size = 64;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  // The mark: a speech bubble with three dots, as in the logo.
  ctx.fillStyle = '#0176d3';
  ctx.beginPath();
  ctx.roundRect(4, 8, 56, 40, 12);
  ctx.fill();
  ctx.beginPath();
  ctx.moveTo(14, 44);
  ctx.lineTo(12, 60);
  ctx.lineTo(30, 46);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  for (const x of [19, 32, 45]) {
    ctx.beginPath();
    ctx.arc(x, 28, 4.5, 0, Math.PI * 2);
    ctx.fill();
  }
  if (text) {
    const font = text.length > 2 ? 22 : 30;
    ctx.font = `bold ${font}px system-ui, sans-serif`;
    const width = Math.max(36, ctx.measureText(text).width + 14);
    const x = size - width;
    ctx.fillStyle = mention ? '#ba0517' : '#c23934';
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.roundRect(x, 0, width, 36, 18);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, x + width / 2, 19);
  }
  return canvas.toDataURL('image/png');
}
