using MpegCoder.Decoding;
using MpegCoder.Recording;
using MpegCoder.Streaming;
namespace MpegCoder;

/// <summary>A file (or a push) a <see cref="StreamRecorder"/> finished.</summary>
/// <param name="Path">The file's path, or the server's address with any credentials hidden.</param>
/// <param name="StartedAt">When its first frame arrived.</param>
/// <param name="Duration">The video it holds, from its first frame's timestamp to the end of its last.</param>
/// <param name="Packets">Compressed frames written.</param>
/// <param name="Bytes">Bytes of compressed video written (without the container's own bytes).</param>
public sealed record RecordedFile(string Path, DateTimeOffset StartedAt, TimeSpan Duration, long Packets, long Bytes);

/// <summary>Counters of one <see cref="StreamRecorder"/>.</summary>
/// <param name="PacketsReceived">Video packets the stream's reader handed to the recorder.</param>
/// <param name="PacketsDropped">Packets dropped because the recorder's queue was full (a slow disk, a stalled server), each loss running to the next keyframe.</param>
/// <param name="PacketsWritten">Packets written to files or pushed.</param>
/// <param name="BytesWritten">Bytes of compressed video written.</param>
/// <param name="FilesFinished">Files (or pushes) finished.</param>
public readonly record struct RecordingStatistics(long PacketsReceived, long PacketsDropped, long PacketsWritten, long BytesWritten, int FilesFinished);

/// <summary>
/// A recording could not start, or failed while writing (an unwritable path, an unknown container, a
/// server that refuses the push or goes away). The message says why, in FFmpeg's words where it has any,
/// with credentials hidden.
/// </summary>
public sealed class RecordingException(string message, Exception? inner = null) : MpegCoderException(message, inner);
