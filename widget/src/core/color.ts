/**
 * WCAG 2.1 contrast arithmetic for tenant colors. Towns pick any brand color; the widget
 * derives the text colors that keep it readable (≥ 4.5:1) instead of trusting the choice.
 */

export const isHexColor = (v: unknown): v is string => typeof v === "string" && /^#[0-9a-f]{6}$/i.test(v);

type Rgb = [number, number, number];

const toRgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const toHex = (rgb: Rgb) => "#" + rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("");

function luminance(hex: string): number {
  const [r, g, b] = toRgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export const WHITE = "#ffffff";
export const INK = "#16191d";

/** Text on a primary-colored surface: white when it reaches 4.5:1, else near-black (whichever is better). */
export const onColor = (bg: string) => (contrast(WHITE, bg) >= 4.5 || contrast(WHITE, bg) >= contrast(INK, bg) ? WHITE : INK);

/**
 * The brand color itself used as text (links, active tab) on `bg`: mixed step by step towards
 * black (light backgrounds) or white (dark ones) until it reaches 4.5:1, so it stays recognisable.
 */
export function readableOn(color: string, bg: string): string {
  const target: Rgb = luminance(bg) > 0.5 ? [0, 0, 0] : [255, 255, 255];
  const from = toRgb(color);
  for (let t = 0; t <= 1; t += 0.05) {
    const mixed = toHex(from.map((c, i) => c + (target[i]! - c) * t) as Rgb);
    if (contrast(mixed, bg) >= 4.5) return mixed;
  }
  return toHex(target);
}
