"""The Python anchors of bench/side-by-side.sh: PyAV and OpenCV reading a clip to its end, converting
every frame to packed RGB24 (OpenCV: BGR24, the same work) at the source size or --size WxH.
Prints the same RESULT line as the .NET runner: frames, wall and CPU seconds of the work alone.
Run with Debian's interpreter: /usr/bin/python3 bench/anchors.py pyav|opencv CLIP [--size WxH] [--threads N]
"""
import argparse
import resource
import time


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def pyav(clip, size, threads):
    import av
    frames = 0
    with av.open(clip) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # frame + slice threads, like the CLI's -threads 0
        stream.thread_count = threads
        width, height = size or (stream.codec_context.width, stream.codec_context.height)
        for frame in container.decode(stream):
            frame.to_ndarray(format="rgb24", width=width, height=height)
            frames += 1
    return frames


def opencv(clip, size, threads):
    import cv2
    if threads:
        cv2.setNumThreads(threads)
    capture = cv2.VideoCapture(clip, cv2.CAP_FFMPEG)
    if not capture.isOpened():
        raise SystemExit(f"OpenCV cannot open {clip}")
    frames = 0
    while True:
        ok, frame = capture.read()  # decoded and converted to BGR24 at the source size
        if not ok:
            break
        if size:
            frame = cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR)
        frames += 1
    capture.release()
    return frames


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tool", choices=["pyav", "opencv"])
    parser.add_argument("clip")
    parser.add_argument("--size", default="")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x")) if args.size else None
    start, cpu0 = time.perf_counter(), cpu_seconds()
    frames = (pyav if args.tool == "pyav" else opencv)(args.clip, size, args.threads)
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu0
    print(f"RESULT frames={frames} wall={wall:.3f} cpu={cpu:.3f} fps={frames / wall:.1f}")


if __name__ == "__main__":
    main()
