#!/usr/bin/python3
"""Minimal GStreamer RTSP relay used by the MpegCoder integration tests.

Relays an H.264 RTP stream that arrives on a local UDP port (pushed by ffmpeg)
to RTSP clients at rtsp://127.0.0.1:<port><mount>. TCP-interleaved and UDP
transports are both offered. Prints READY (flushed) once listening. --mount may be
given several times: every mount then serves the same relay (one pipeline), each
client on its own RTSP session, as many cameras behind one address would.

--audio aac|mulaw adds an audio stream (pay1), as a camera with a microphone has: RTP that arrives on
--audio-port, AAC (mpeg4-generic, as `ffmpeg -c:a aac -ar 48000 -ac 1 -f rtp` sends it) or G.711
µ-law (PCMU, 8 kHz mono). Without it (--audio none) the media has the video stream only.
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


# The audio stream of the media, if any: the same relay as the video's (mode=none, so the timestamps
# going out are the pusher's, and audio keeps its place next to the video).
AUDIO_BRANCHES = {
    "none": "",
    # ffmpeg's RTP muxer sends AAC as mpeg4-generic (RFC 3640, AAC-hbr), payload type 97. config is
    # the AudioSpecificConfig its native encoder advertises for 48 kHz mono AAC-LC: 0x1188 (LC,
    # 48 kHz, one channel) followed by its explicit "no SBR" extension 0x56E500.
    "aac": (
        "udpsrc address=127.0.0.1 port={port} buffer-size=1048576 "
        "caps=\"application/x-rtp,media=audio,clock-rate=48000,encoding-name=MPEG4-GENERIC,payload=97,"
        "encoding-params=(string)1,streamtype=(string)5,profile-level-id=(string)1,mode=(string)AAC-hbr,"
        "config=(string)118856E500,sizelength=(string)13,indexlength=(string)3,indexdeltalength=(string)3\" "
        "! rtpjitterbuffer latency=50 mode=none "
        "! rtpmp4gdepay ! aacparse "
        "! rtpmp4gpay name=pay1 pt=97 "
    ),
    "mulaw": (
        "udpsrc address=127.0.0.1 port={port} buffer-size=1048576 "
        "caps=\"application/x-rtp,media=audio,clock-rate=8000,encoding-name=PCMU,payload=0\" "
        "! rtpjitterbuffer latency=50 mode=none "
        "! rtppcmudepay "
        "! rtppcmupay name=pay1 pt=0 "
    ),
}


class SharedRelayFactory(GstRtspServer.RTSPMediaFactory):
    """A media factory whose every mount shares one media: the one UDP port can feed one pipeline only."""

    def do_gen_key(self, url):
        return "relay"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=8554, help="RTSP TCP port")
    ap.add_argument("--rtp-port", type=int, default=5004, help="UDP port where H.264 RTP arrives")
    ap.add_argument("--mount", action="append", help="mount path (repeatable; default /video)")
    ap.add_argument("--user", help="require RTSP basic authentication with this user (and --password)")
    ap.add_argument("--password", default="", help="password of --user")
    ap.add_argument("--audio", choices=sorted(AUDIO_BRANCHES), default="none",
                    help="audio stream besides the video: none, aac (48 kHz mono AAC-LC) or mulaw (8 kHz mono G.711)")
    ap.add_argument("--audio-port", type=int, default=5006, help="UDP port where the audio RTP arrives")
    args = ap.parse_args()
    mounts = [m if m.startswith("/") else "/" + m for m in (args.mount or ["/video"])]

    Gst.init(None)

    launch = (
        "( udpsrc address=127.0.0.1 port={rtp} buffer-size=4194304 "
        "caps=\"application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96\" "
        # mode=none: the timestamps going out are the pusher's RTP timestamps (exactly one frame
        # apart), not arrival times smoothed by skew estimation, which leak the machine's load into
        # them and move frames across the boundaries a frame-rate test checks.
        "! rtpjitterbuffer latency=50 mode=none "
        "! rtph264depay ! h264parse config-interval=-1 "
        "! rtph264pay name=pay0 pt=96 config-interval=1 "
        "{audio})"
    ).format(rtp=args.rtp_port, audio=AUDIO_BRANCHES[args.audio].format(port=args.audio_port))

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))

    factory = SharedRelayFactory()
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

    for mount in mounts:
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

    relayed = "udp://127.0.0.1:%d" % args.rtp_port
    if args.audio != "none":
        relayed += " and %s audio from udp://127.0.0.1:%d" % (args.audio, args.audio_port)
    log("rtsp://127.0.0.1:%d%s relaying %s" % (server.get_bound_port(), ",".join(mounts), relayed))
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
