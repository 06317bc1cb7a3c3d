#!/usr/bin/python3
"""Minimal GStreamer RTSP relay used by the MpegCoder integration tests.

Relays an H.264 RTP stream that arrives on a local UDP port (pushed by ffmpeg)
to RTSP clients at rtsp://127.0.0.1:<port><mount>. TCP-interleaved and UDP
transports are both offered. Prints READY (flushed) once listening.
"""
import argparse
import os
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def log(msg):
    # Whoever reads stderr (a log prefixer) may be gone when the server is stopped: a lost log line
    # must never keep the server running.
    try:
        print(msg, file=sys.stderr, flush=True)
    except (BrokenPipeError, OSError):
        pass


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=8554, help="RTSP TCP port")
    ap.add_argument("--rtp-port", type=int, default=5004, help="UDP port where H.264 RTP arrives")
    ap.add_argument("--mount", default="/video", help="mount path")
    ap.add_argument("--user", help="require RTSP basic authentication with this user (and --password)")
    ap.add_argument("--password", default="", help="password of --user")
    args = ap.parse_args()
    mount = args.mount if args.mount.startswith("/") else "/" + args.mount

    Gst.init(None)

    launch = (
        "( udpsrc address=127.0.0.1 port={rtp} buffer-size=4194304 "
        "caps=\"application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96\" "
        # mode=none: the timestamps going out are the pusher's RTP timestamps (exactly one frame
        # apart), not arrival times smoothed by skew estimation, which leak the machine's load into
        # them and move frames across the boundaries a frame-rate test checks.
        "! rtpjitterbuffer latency=50 mode=none "
        "! rtph264depay ! h264parse config-interval=-1 "
        "! rtph264pay name=pay0 pt=96 config-interval=1 )"
    ).format(rtp=args.rtp_port)

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))

    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    # One pipeline for every client (there is only one UDP port to read).
    factory.set_shared(True)
    # Keep the shared pipeline playing when a client disconnects/pauses so
    # that later clients join a running, live stream.
    factory.set_suspend_mode(GstRtspServer.RTSPSuspendMode.NONE)
    factory.set_stop_on_disconnect(False)
    factory.set_eos_shutdown(False)
    factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP)
    factory.set_latency(50)

    if args.user is not None:
        # Only this user may see the stream; everyone else gets 401 Unauthorized.
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
        auth = GstRtspServer.RTSPAuth()
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
        permissions.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
        factory.set_permissions(permissions)

    server.get_mount_points().add_factory(mount, factory)

    loop = GLib.MainLoop()
    if server.attach(None) == 0:
        log("failed to attach RTSP server to 127.0.0.1:%d" % args.port)
        return 2

    # Periodically drop idle sessions so a killed client does not pin state.
    def cleanup():
        server.get_session_pool().cleanup()
        return True

    GLib.timeout_add_seconds(2, cleanup)

    def stop(*_):
        loop.quit()
        log("signal received, stopping")
        return GLib.SOURCE_REMOVE

    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGTERM, stop)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGINT, stop)

    log("rtsp://127.0.0.1:%d%s relaying udp://127.0.0.1:%d" % (server.get_bound_port(), mount, args.rtp_port))
    print("READY", flush=True)
    try:
        loop.run()
    except KeyboardInterrupt:
        pass
    # Tearing down a live shared pipeline through Python finalisation can take
    # a second or more; the kernel closes every socket anyway.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, OSError):
            pass
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
