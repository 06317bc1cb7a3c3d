namespace MpegCoder;

/// <summary>A file (or a push) a <see cref="StreamRecorder"/> finished.</summary>
/// <remarks>
/// Built with an object initializer, so that a property added in a later version breaks no compiled caller;
/// compared by value.
/// </remarks>
public sealed record RecordedFile
{
    /// <summary>The file's path, or the server's address with any credentials hidden.</summary>
    public string Path { get; init; } = "";

    /// <summary>When its first frame arrived.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The video it holds, from its first frame's timestamp to the end of its last.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Compressed video frames written.</summary>
    public long Packets { get; init; }

    /// <summary>Bytes of compressed video written (without the audio and the container's own bytes).</summary>
    public long Bytes { get; init; }

    /// <summary>The video stream's codec, in FFmpeg's name for it ("h264", "hevc").</summary>
    public string VideoCodec { get; init; } = "";

    /// <summary>
    /// The audio stream's codec ("aac", "pcm_mulaw", "opus"), or null when the file holds no audio: the
    /// source had none, <see cref="RecordingOptions.Audio"/> is off, or the container cannot carry the codec.
    /// </summary>
    public string? AudioCodec { get; init; }
}

/// <summary>Counters of one <see cref="StreamRecorder"/>.</summary>
/// <remarks>
/// Built with an object initializer, so that a counter added in a later version breaks no compiled caller;
/// compared by value. <c>default</c> is all zero.
/// </remarks>
public readonly record struct RecordingStatistics
{
    /// <summary>Packets the stream's reader handed to the recorder: the video's, and the audio's when recorded.</summary>
    public long PacketsReceived { get; init; }

    /// <summary>Packets dropped because the recorder's queue was full (a slow disk, a stalled server), each loss running to the next keyframe.</summary>
    public long PacketsDropped { get; init; }

    /// <summary>Packets written to files or pushed (video and audio).</summary>
    public long PacketsWritten { get; init; }

    /// <summary>Bytes of compressed video and audio written (without the container's own bytes).</summary>
    public long BytesWritten { get; init; }

    /// <summary>Files (or pushes) finished.</summary>
    public int FilesFinished { get; init; }
}

/// <summary>
/// A recording could not start, or failed while writing (an unwritable path, an unknown container, a
/// server that refuses the push or goes away). The message says why, in FFmpeg's words where it has any,
/// with credentials hidden.
/// </summary>
/// <param name="message">The reason.</param>
/// <param name="inner">FFmpeg's or the system's error beneath it, if any.</param>
public sealed class RecordingException(string message, Exception? inner = null) : MpegCoderException(message, inner);
