"""Prints bench/side-by-side.sh's results (a TSV) as one Markdown table with the ratios to the ffmpeg CLI.
Each group (a clip and a job) is compared with its reference row: the first whose tool starts with "ffmpeg CLI".
Columns of the TSV: group, tool, frames, wall, cpu_work, cpu_total, rss_kb, video_seconds, load."""
import sys
from collections import OrderedDict

rows = OrderedDict()
for line in open(sys.argv[1]):
    group, tool, frames, wall, cpu_work, cpu_total, rss_kb, video_s, load = line.rstrip("\n").split("\t")
    rows.setdefault(group, []).append(dict(
        tool=tool, frames=int(frames or 0), wall=float(wall or 0), cpu=float(cpu_work or 0),
        cpu_total=float(cpu_total or 0), rss=int(rss_kb or 0) / 1024, video=float(video_s), load=load))

print("| clip / job | tool | frames | fps | fps ÷ CLI | CPU s (work) | CPU s per video s | CPU ÷ CLI | CPU s (process) | peak RSS MB | load (1 min) |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for group, items in rows.items():
    ref = next((r for r in items if r["tool"].startswith("ffmpeg CLI")), items[0])
    ref_fps = ref["frames"] / ref["wall"] if ref["wall"] else 0
    for r in items:
        fps = r["frames"] / r["wall"] if r["wall"] else 0
        fps_ratio = f"{fps / ref_fps:.2f}" if ref_fps and fps else "-"
        cpu_ratio = f"{r['cpu'] / ref['cpu']:.2f}" if ref["cpu"] and r["cpu"] else "-"
        per_s = f"{r['cpu'] / r['video']:.3f}" if r["video"] else "-"
        print(f"| {group} | {r['tool']} | {r['frames']} | {fps:.1f} | {fps_ratio} | {r['cpu']:.2f} | {per_s} | {cpu_ratio} "
              f"| {r['cpu_total']:.2f} | {r['rss']:.0f} | {r['load']} |")
