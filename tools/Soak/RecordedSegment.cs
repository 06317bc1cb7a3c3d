using System.Diagnostics;

/// <summary>
/// A recorded file read back with the ffmpeg CLI: whether it decodes without an error, and the barcode
/// index of every frame (16 columns, column k white when bit k of the index is 1).
/// </summary>
internal static class RecordedSegment
{
    /// <summary>What <c>ffmpeg -v error -i path -f null -</c> printed; empty when the file decodes cleanly.</summary>
    public static string DecodeErrors(string path)
    {
        var (exit, _, errors) = RunFfmpeg(["-v", "error", "-i", path, "-f", "null", "-"]);
        return exit == 0 ? errors.Trim() : $"exit {exit}: {errors.Trim()}";
    }

    /// <summary>
    /// Every frame's index, or -1 for a frame whose two halves disagree (torn). Each frame is scaled to
    /// 32x2 gray pixels (nearest neighbour): pixel 2k+1 lies in column k, row 0 in the top half, row 1 in
    /// the bottom one.
    /// </summary>
    public static List<int> FrameIndices(string path)
    {
        var (_, frames, _) = RunFfmpeg(["-v", "error", "-i", path, "-vf", "scale=32:2:flags=neighbor", "-f", "rawvideo", "-pix_fmt", "gray", "-"]);
        var indices = new List<int>(frames.Length / 64);
        for (int at = 0; at + 64 <= frames.Length; at += 64)
        {
            int top = Read(frames.AsSpan(at, 32)), bottom = Read(frames.AsSpan(at + 32, 32));
            indices.Add(top == bottom ? top : -1);
        }
        return indices;
    }

    private static int Read(ReadOnlySpan<byte> row)
    {
        int value = 0;
        for (int k = 0; k < 16; k++)
            if (row[2 * k + 1] >= 128) value |= 1 << k;
        return value;
    }

    private static (int Exit, byte[] StdOut, string StdErr) RunFfmpeg(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        ffmpeg.StandardInput.Close();
        var errors = ffmpeg.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        ffmpeg.StandardOutput.BaseStream.CopyTo(output);
        ffmpeg.WaitForExit();
        return (ffmpeg.ExitCode, output.ToArray(), errors.Result);
    }
}
