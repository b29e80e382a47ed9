"""Population pyramids: SVG written by hand (static, comparing two years, or animated through every year)
and PNG (matplotlib). Labels are Vietnamese."""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from danso.forecast.outputs import age_labels, date_label
from danso.forecast.run import Forecast

MALE_COLOUR, FEMALE_COLOUR = "#3b6fb6", "#c8507a"
WIDTH, ROW, TOP, MID_GAP, SIDE = 720, 16, 56, 56, 300


def _scale(f: Forecast) -> float:
    share = f.projection.population / f.projection.population.sum(axis=(1, 2), keepdims=True)
    return SIDE / max(float(share.max()), 1e-9)


def _shares(f: Forecast, t: int) -> np.ndarray:
    p = f.projection.population[t]
    return p / p.sum() if p.sum() > 0 else p


def _bars(f: Forecast, t: int, scale: float, style: str) -> list[str]:
    labels = age_labels(f)
    n, cx = len(labels), WIDTH / 2
    out = []
    for a in range(n):
        y = TOP + (n - 1 - a) * ROW
        for s, colour in ((0, MALE_COLOUR), (1, FEMALE_COLOUR)):
            w = float(_shares(f, t)[s, a] * scale)
            x = cx - MID_GAP / 2 - w if s == 0 else cx + MID_GAP / 2
            fill = f'fill="{colour}"' if style == "fill" else 'fill="none" stroke="#222" stroke-width="1.2"'
            out.append(f'<rect x="{x:.2f}" y="{y + 1}" width="{w:.2f}" height="{ROW - 2}" {fill}/>')
    return out


def _frame(f: Forecast, title: str) -> list[str]:
    labels = age_labels(f)
    n, cx = len(labels), WIDTH / 2
    height = TOP + n * ROW + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
           f'<text x="{cx}" y="20" text-anchor="middle" font-size="14" font-weight="bold">{escape(title)}</text>',
           f'<text x="{cx - MID_GAP / 2 - 4}" y="{TOP - 8}" text-anchor="end" fill="{MALE_COLOUR}">Nam</text>',
           f'<text x="{cx + MID_GAP / 2 + 4}" y="{TOP - 8}" fill="{FEMALE_COLOUR}">Nữ</text>']
    step = 1 if len(labels) <= 20 else 5
    for a in range(0, n, step):
        y = TOP + (n - 1 - a) * ROW + ROW - 4
        out.append(f'<text x="{cx}" y="{y}" text-anchor="middle">{escape(labels[a])}</text>')
    out.append(f'<text x="{cx}" y="{height - 12}" text-anchor="middle" fill="#555">% dân số theo giới và nhóm '
               f'tuổi · {escape(f.scenario.label)}</text>')
    return out


def pyramid_svg(f: Forecast, compare: tuple[int, int] | None = None) -> str:
    """Pyramid of the first year (filled) with the last (or ``compare``) year outlined over it."""
    first, last = compare or (0, len(f.years) - 1)
    scale = _scale(f)
    title = f"{f.title}: {date_label(f, first)} (tô màu) và {date_label(f, last)} (viền)"
    parts = _frame(f, title) + _bars(f, first, scale, "fill") + _bars(f, last, scale, "outline")
    return "\n".join(parts + ["</svg>"]) + "\n"


def animated_pyramid_svg(f: Forecast, seconds_per_year: float = 1.0) -> str:
    """Pyramid animated through every projected year (SVG SMIL, discrete frames), with the year shown."""
    scale, cx = _scale(f), WIDTH / 2
    labels = age_labels(f)
    n, frames = len(labels), len(f.years)
    dur = f"{frames * seconds_per_year:.1f}s"
    parts = _frame(f, f"{f.title}: {date_label(f, 0)} – {date_label(f, len(f.years) - 1)}")
    for a in range(n):
        y = TOP + (n - 1 - a) * ROW + 1
        for s, colour in ((0, MALE_COLOUR), (1, FEMALE_COLOUR)):
            widths = [float(_shares(f, t)[s, a] * scale) for t in range(frames)]
            xs = [cx - MID_GAP / 2 - w if s == 0 else cx + MID_GAP / 2 for w in widths]
            anim = (f'<animate attributeName="width" values="{";".join(f"{w:.2f}" for w in widths)}" dur="{dur}" '
                    f'calcMode="discrete" repeatCount="indefinite"/>')
            if s == 0:
                anim += (f'<animate attributeName="x" values="{";".join(f"{x:.2f}" for x in xs)}" dur="{dur}" '
                         f'calcMode="discrete" repeatCount="indefinite"/>')
            parts.append(f'<rect x="{xs[0]:.2f}" y="{y}" width="{widths[0]:.2f}" height="{ROW - 2}" '
                         f'fill="{colour}">{anim}</rect>')
    for t in range(frames):
        keys = ";".join("1" if k == t else "0" for k in range(frames))
        parts.append(f'<text x="{WIDTH - 20}" y="{TOP + 10}" text-anchor="end" font-size="22" opacity="'
                     f'{1 if t == 0 else 0}">{f.dates[t].year}<animate attributeName="opacity" values="{keys}" '
                     f'dur="{dur}" calcMode="discrete" repeatCount="indefinite"/></text>')
    return "\n".join(parts + ["</svg>"]) + "\n"


def pyramid_png(f: Forecast, path: Path, compare: tuple[int, int] | None = None) -> None:
    """Side-by-side pyramids of two years (default: the first and the last) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first, last = compare or (0, len(f.years) - 1)
    labels = age_labels(f)
    ages = np.arange(len(labels))
    top = float(max(_shares(f, first).max(), _shares(f, last).max())) * 100 * 1.05
    fig, axes = plt.subplots(1, 2, figsize=(11, 6), sharey=True)
    for ax, t in zip(axes, (first, last)):
        share = _shares(f, t) * 100
        ax.barh(ages, -share[0], color=MALE_COLOUR, label="Nam")
        ax.barh(ages, share[1], color=FEMALE_COLOUR, label="Nữ")
        ax.set_xlim(-top, top)
        ax.set_title(date_label(f, t))
        ax.set_xlabel("% dân số")
        ticks = ax.get_xticks()
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"{abs(x):g}" for x in ticks])
    step = 1 if len(labels) <= 20 else 5
    axes[0].set_yticks(ages[::step])
    axes[0].set_yticklabels(labels[::step])
    axes[0].legend(loc="upper left")
    fig.suptitle(f"{f.title} — {f.scenario.label}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
