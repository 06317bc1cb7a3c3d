namespace MpegCoder.Streaming;

/// <summary>What the reads and their waits need to know of the writer, which the stream's lifecycle owns.</summary>
internal interface IWriterStatus
{
    /// <summary>The stream has ended: nothing more will be stored.</summary>
    bool Ended { get; }

    /// <summary>The writer thread runs (it may store more frames).</summary>
    bool IsRunning { get; }
}
