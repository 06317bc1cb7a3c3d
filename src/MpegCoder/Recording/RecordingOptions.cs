using MpegCoder.Encoders;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder;

/// <summary>
/// What a <see cref="StreamRecorder"/> writes and when: an immutable value, changed with <c>with { ... }</c>.
/// The recorder copies the stream's compressed video packets, and its audio's, (no decoding, no
/// encoding) into files or to a server.
/// </summary>
public sealed record RecordingOptions
{
    /// <summary>
    /// A file path, or the address of a server to push to. A file's extension chooses its container
    /// (.mp4, .mkv, .ts, .mov, .flv...). A path is a format string: <c>{0}</c> is the local time of the
    /// file's first frame (as it arrived), <c>{1}</c> the file's number from 0, as in
    /// <c>"cam1-{0:yyyyMMdd-HHmmss}.mp4"</c>. A name the format string gives again (among the last 100 names)
    /// gets "-2", "-3"... before its extension. An existing file of that name is replaced.
    /// An address (<c>rtmp://</c>, <c>rtsp://</c>, <c>srt://</c>, <c>udp://</c>, <c>tcp://</c>,
    /// <c>http://</c>) is pushed in FLV (rtmp, http), RTSP publishing over TCP (rtsp) or MPEG-TS (the others).
    /// </summary>
    public string Path { get; init; } = "";

    /// <summary>
    /// True (the default): the source's audio (a camera's microphone: AAC, G.711 µ-law or A-law, Opus...)
    /// is copied beside the video, without re-encoding, in every container that can carry its codec:
    /// Matroska and MPEG-TS carry all of these, MP4 AAC and Opus, FLV (RTMP) AAC and G.711. A codec the
    /// container cannot carry is left out with one logged warning naming it (<see cref="RecordedFile.AudioCodec"/>
    /// says what a file holds). A segment's audio starts at its first video keyframe's instant (within one
    /// audio frame), with no gap or overlap at the cut. The stream never decodes the audio. False: video only.
    /// </summary>
    public bool Audio { get; init; } = true;

    /// <summary>
    /// Files only: start a new file at the first keyframe at or after this much video (within half a frame,
    /// which absorbs the jitter of RTP timestamps). Null (the default): one file until the recording (or the event) ends.
    /// </summary>
    public TimeSpan? SegmentDuration { get; init; }

    /// <summary>
    /// False (the default): record from the first keyframe on, until stopped. True: record only when
    /// <see cref="StreamRecorder.Trigger"/> is called, keeping <see cref="PreEventBuffer"/> of video in
    /// memory meanwhile.
    /// </summary>
    public bool WaitForTrigger { get; init; }

    /// <summary>
    /// With <see cref="WaitForTrigger"/>: how much video before a trigger the file holds. The buffer starts at
    /// a keyframe, so a file starts up to one GOP earlier than this. Zero (the default): the file starts at
    /// the first keyframe after the trigger.
    /// </summary>
    public TimeSpan PreEventBuffer { get; init; }

    /// <summary>
    /// With <see cref="WaitForTrigger"/>: how long an event lasts after its last trigger; each trigger
    /// extends it. Null (the default): until <see cref="StreamRecorder.EndEvent"/> or the recorder stops.
    /// </summary>
    public TimeSpan? PostEventDuration { get; init; }

    /// <summary>
    /// The most bytes of packets the pre-event buffer keeps (64 MiB by default); past it the oldest GOPs go first.
    /// </summary>
    public long MaxPreEventBytes { get; init; } = 64L << 20;

    /// <summary>
    /// Packets that may wait between the stream's reader and the recorder's thread (512 by default, about
    /// 20 s at 25 fps). A slow disk or a stalled server never stalls decoding: when the queue is full, packets
    /// are dropped until the next keyframe and counted in <see cref="RecordingStatistics.PacketsDropped"/>.
    /// </summary>
    public int QueueCapacity { get; init; } = 512;

    /// <summary>How long one open or write may block (10 s by default): a server that stops reading fails the recording instead of hanging it.</summary>
    public TimeSpan IoTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many finished files <see cref="StreamRecorder.Files"/> lists: the newest ones (100 by default).
    /// Older files stay on disk (unless <see cref="MaxAge"/>, <see cref="MaxTotalBytes"/> or
    /// <see cref="MinFreeBytes"/> delete them); <see cref="StreamRecorder.FileFinished"/> and
    /// <see cref="RecordingStatistics.FilesFinished"/> count every file.
    /// </summary>
    public int FilesKept { get; init; } = 100;

    /// <summary>
    /// FFmpeg muxer and protocol options, passed by name (<c>movflags</c> = <c>+faststart</c>...). They
    /// replace the library's own choice of the same name (see <see cref="CrashSafe"/>). One that no part of
    /// FFmpeg takes fails the file's open with a <see cref="RecordingException"/> naming it.
    /// </summary>
    public IReadOnlyDictionary<string, string> FFmpegOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// True (the default): files are written so that one cut short (the process killed, the power lost)
    /// plays up to about one second before the cut. MP4 and MOV are fragmented (<c>movflags</c> =
    /// <c>+frag_keyframe+empty_moov+default_base_moof+delay_moov</c>, <c>frag_duration</c> = 1 s), Matroska
    /// closes a cluster at least every second, every container hands each packet to the system at once, and
    /// the recorder makes the system write the file to the disk (fsync) every second and when the file is
    /// finished. A file finished normally is an ordinary playable, seekable file. False: MP4 and MOV are
    /// written with their index at the end (unplayable until finished), and nothing is synced.
    /// <see cref="FFmpegOptions"/> replace the options of the same name. Pushes are not affected.
    /// </summary>
    public bool CrashSafe { get; init; } = true;

    /// <summary>
    /// Files only: delete this recorder's finished files last written longer ago than this, oldest first.
    /// Null (the default): no limit. See <see cref="MaxTotalBytes"/> for which files are the recorder's.
    /// </summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>
    /// Files only: delete this recorder's oldest finished files while its files (the one being written
    /// included) hold more bytes than this. The recorder's files are those in the folder of <see cref="Path"/>
    /// whose names <see cref="Path"/>'s format string could have given, those of an earlier run included;
    /// the file being written is never deleted. Null (the default): no limit.
    /// </summary>
    public long? MaxTotalBytes { get; init; }

    /// <summary>
    /// Files only: delete this recorder's oldest finished files while the file system of <see cref="Path"/>
    /// has less free space than this many bytes (as far as deleting them frees it). Null (the default): no limit.
    /// </summary>
    public long? MinFreeBytes { get; init; }

    /// <summary>Whether the recorder deletes old files (<see cref="MaxAge"/>, <see cref="MaxTotalBytes"/> or <see cref="MinFreeBytes"/> set).</summary>
    internal bool HasRetention => MaxAge is not null || MaxTotalBytes is not null || MinFreeBytes is not null;

    /// <summary>Throws argument exceptions for values that cannot work, naming the setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("Path must name a file or a server address.", nameof(Path));
        bool push = OutputAddress.IsPush(Path);
        if (SegmentDuration is { } segment)
        {
            if (segment <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(SegmentDuration), segment, "A segment must last more than zero.");
            if (push) throw new ArgumentException("SegmentDuration applies to files; a push to a server is one stream.", nameof(SegmentDuration));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(PreEventBuffer, TimeSpan.Zero, nameof(PreEventBuffer));
        if (PreEventBuffer > TimeSpan.Zero && !WaitForTrigger)
            throw new ArgumentException("PreEventBuffer keeps video for a trigger: set WaitForTrigger = true.", nameof(PreEventBuffer));
        if (PostEventDuration is { } post && post <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(PostEventDuration), post, "An event must last more than zero after its trigger.");
        if (PostEventDuration is not null && !WaitForTrigger)
            throw new ArgumentException("PostEventDuration applies to events: set WaitForTrigger = true.", nameof(PostEventDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPreEventBytes, 1, nameof(MaxPreEventBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 2, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(FilesKept, 1, nameof(FilesKept));
        if (IoTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IoTimeout), IoTimeout, "A timeout must be positive.");
        ArgumentNullException.ThrowIfNull(FFmpegOptions, nameof(FFmpegOptions));
        if (MaxAge is { } age && age <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxAge), age, "A file's age limit must be more than zero.");
        if (MaxTotalBytes is { } total) ArgumentOutOfRangeException.ThrowIfLessThan(total, 1, nameof(MaxTotalBytes));
        if (MinFreeBytes is { } free) ArgumentOutOfRangeException.ThrowIfLessThan(free, 1, nameof(MinFreeBytes));
        if (HasRetention)
        {
            if (push) throw new ArgumentException("MaxAge, MaxTotalBytes and MinFreeBytes delete files; a push to a server writes none.", nameof(Path));
            RecordingNamePattern.For(Path); // throws when the recorder could not tell its files from others
        }
    }
}
