namespace MpegCoder;

/// <summary>The limit of <see cref="RecordingOptions"/> that made a <see cref="StreamRecorder"/> delete a file.</summary>
public enum RetentionLimit
{
    /// <summary>The file was last written longer ago than <see cref="RecordingOptions.MaxAge"/>.</summary>
    MaxAge,

    /// <summary>The recorder's files held more than <see cref="RecordingOptions.MaxTotalBytes"/>.</summary>
    MaxTotalBytes,

    /// <summary>The file system had less free space than <see cref="RecordingOptions.MinFreeBytes"/>.</summary>
    MinFreeBytes,
}

/// <summary>A file a <see cref="StreamRecorder"/> deleted to stay within its limits (<see cref="StreamRecorder.FileDeleted"/>).</summary>
public sealed class RecordedFileDeletedEventArgs : EventArgs
{
    /// <summary>The deleted file's full path.</summary>
    public string Path { get; init; } = "";

    /// <summary>Its size when it was deleted.</summary>
    public long Bytes { get; init; }

    /// <summary>When it was last written.</summary>
    public DateTimeOffset LastWritten { get; init; }

    /// <summary>The limit that made the recorder delete it.</summary>
    public RetentionLimit Reason { get; init; }
}
