using System.Diagnostics;
using System.Globalization;
using MpegCoder;

/// <summary>
/// The recording soak: records a live stream for a long time in 10 s crash-safe MP4 segments with a
/// one-minute <see cref="RecordingOptions.MaxAge"/>, prints a line every 10 s (files and bytes in the
/// folder, RSS, CPU), then stops and checks that the folder stayed bounded, that every deletion was of a
/// finished file older than MaxAge, that every file finished is either deleted or on disk and decodes
/// without an error, and that the frames of the files left follow on from one file to the next.
/// </summary>
internal static class RecordingSoak
{
    private static readonly TimeSpan Segment = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    private sealed record Deletion(RecordedFileDeletedEventArgs File, DateTimeOffset At, bool WasFinished);

    public static async Task<int> Run(string address, double minutes, string folder)
    {
        Directory.CreateDirectory(folder);
        var finished = new Dictionary<string, RecordedFile>();
        var deletions = new List<Deletion>();
        var gate = new object();

        await using var stream = await VideoStream.OpenAsync(address, new StreamOptions
        {
            RtspTransport = RtspTransport.Tcp,   // every packet: the check below wants every frame
            SkipFrames = DecoderSkip.NonKey,     // the decoding this process does is not what is measured
        });
        var options = new RecordingOptions
        {
            Path = Path.Combine(folder, "segment-{1:D5}.mp4"),
            SegmentDuration = Segment,
            CrashSafe = true,
            MaxAge = MaxAge,
        };
        var recorder = stream.StartRecording(options);
        var finishedSizes = new List<long>(); // on disk, as finished: the container's bytes and the audio's too
        recorder.FileFinished += (_, file) =>
        {
            lock (gate)
            {
                finished[file.Path] = file;
                finishedSizes.Add(new FileInfo(file.Path).Length);
            }
        };
        recorder.FileDeleted += (_, e) => { lock (gate) deletions.Add(new Deletion(e, DateTimeOffset.Now, finished.ContainsKey(e.Path))); };

        var figures = new ProcessFigures();
        var clock = Stopwatch.StartNew();
        int maxFiles = 0;
        long maxBytes = 0, rssFirst = -1, rssMax = 0;
        var cpu = new List<double>();
        while (clock.Elapsed < TimeSpan.FromMinutes(minutes))
        {
            await Task.Delay(SampleEvery);
            var files = Directory.GetFiles(folder, "*.mp4");
            long bytes = files.Sum(f => new FileInfo(f).Length);
            long rss = ProcessFigures.RssMb();
            double percent = figures.CpuPercentSinceLastSample();
            if (rssFirst < 0) rssFirst = rss; else cpu.Add(percent);   // the first sample holds the start-up
            maxFiles = Math.Max(maxFiles, files.Length);
            maxBytes = Math.Max(maxBytes, bytes);
            rssMax = Math.Max(rssMax, rss);
            int deleted;
            lock (gate) deleted = deletions.Count;
            Console.WriteLine($"{clock.Elapsed:hh\\:mm\\:ss} files={files.Length} bytes={bytes} rss={rss} MB cpu={percent:0.0}% " +
                              $"finished={recorder.Statistics.FilesFinished} deleted={deleted} dropped={recorder.Statistics.PacketsDropped}");
            if (recorder.Completion.IsCompleted) break;
        }

        var failures = new List<string>();
        var stopping = Stopwatch.StartNew();
        try
        {
            await recorder.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (Exception e)
        {
            failures.Add($"the recorder did not stop cleanly: {e.Message}");
        }
        stopping.Stop();
        var statistics = recorder.Statistics;
        recorder.Dispose();

        // Bounded: the files of the last MaxAge, the one being written, and one past MaxAge until the next pass.
        int fileBound = (int)Math.Ceiling(MaxAge / Segment) + 2;
        long largest;
        lock (gate) largest = finishedSizes.DefaultIfEmpty(0).Max();
        if (maxFiles > fileBound) failures.Add($"{maxFiles} files seen in the folder, bound {fileBound}");
        if (maxBytes > fileBound * largest) failures.Add($"{maxBytes} bytes seen in the folder, bound {fileBound} x {largest}");
        if (statistics.PacketsDropped > 0) failures.Add($"{statistics.PacketsDropped} packets dropped");

        var deletionAges = deletions.Select(d => (d.At - d.File.LastWritten).TotalSeconds).DefaultIfEmpty(0).ToList();
        foreach (var d in deletions)
        {
            var age = d.At - d.File.LastWritten;
            if (!d.WasFinished) failures.Add($"deleted {Path.GetFileName(d.File.Path)} before it was finished");
            if (d.File.Reason != RetentionLimit.MaxAge) failures.Add($"deleted {Path.GetFileName(d.File.Path)} for {d.File.Reason}");
            if (age <= MaxAge) failures.Add($"deleted {Path.GetFileName(d.File.Path)} {age.TotalSeconds:0.0} s after its last write");
        }
        if (clock.Elapsed > MaxAge + 3 * Segment && deletions.Count == 0) failures.Add("nothing was deleted");

        // Every file finished is deleted or on disk, and nothing else is on disk.
        var onDisk = Directory.GetFiles(folder, "*.mp4").Order(StringComparer.Ordinal).ToList();
        var expected = finished.Keys.Except(deletions.Select(d => d.File.Path)).Order(StringComparer.Ordinal).ToList();
        foreach (var lost in expected.Except(onDisk)) failures.Add($"{Path.GetFileName(lost)} was finished, never deleted, and is gone");
        foreach (var extra in onDisk.Except(expected)) failures.Add($"{Path.GetFileName(extra)} is on disk but was never finished");

        int frames = 0, previousLast = -1;
        foreach (var path in onDisk)
        {
            string name = Path.GetFileName(path);
            string errors = RecordedSegment.DecodeErrors(path);
            if (errors.Length > 0) failures.Add($"{name} does not decode cleanly: {errors}");
            var indices = RecordedSegment.FrameIndices(path);
            frames += indices.Count;
            if (indices.Count == 0) { failures.Add($"{name} holds no frame"); continue; }
            int torn = indices.Count(i => i < 0);
            int breaks = indices.Zip(indices.Skip(1)).Count(p => p.Second != ((p.First + 1) & 0xffff));
            if (torn > 0) failures.Add($"{name}: {torn} torn frames");
            if (breaks > 0) failures.Add($"{name}: {breaks} breaks in the frame indices {indices[0]}..{indices[^1]}");
            if (previousLast >= 0 && indices[0] != ((previousLast + 1) & 0xffff))
                failures.Add($"{name} starts at frame {indices[0]}, the file before ended at {previousLast}");
            Console.WriteLine($"  {name}: {new FileInfo(path).Length} bytes, frames {indices[0]}..{indices[^1]} ({indices.Count})");
            previousLast = indices[^1];
        }

        bool ok = failures.Count == 0;
        string Mb(long bytes) => (bytes / 1048576.0).ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine($"recording soak {(ok ? "passed" : "FAILED")}: {clock.Elapsed.TotalMinutes:0.0} min, " +
                          $"{statistics.FilesFinished} files finished ({Mb(statistics.BytesWritten)} MB), {deletions.Count} deleted " +
                          $"(by MaxAge, {deletionAges.Min():0.0} to {deletionAges.Max():0.0} s after their last write), " +
                          $"{onDisk.Count} left ({frames} frames); folder at most {maxFiles} files (bound {fileBound}), {Mb(maxBytes)} MB; " +
                          $"CPU {(cpu.Count > 0 ? cpu.Average() : 0):0.0}% of a core on average, {(cpu.Count > 0 ? cpu.Max() : 0):0.0}% at most; " +
                          $"RSS {rssFirst} MB after 10 s, {rssMax} MB at most; dropped {statistics.PacketsDropped}; stopped in {stopping.Elapsed.TotalMilliseconds:0} ms");
        foreach (var f in failures) Console.WriteLine($"  FAILED: {f}");
        return ok ? 0 : 1;
    }
}
