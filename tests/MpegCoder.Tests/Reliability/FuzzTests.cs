using System.Diagnostics;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Reliability;

public class FuzzTests
{
    [Fact]
    public void Two_hundred_randomly_damaged_clips_never_crash_or_hang()
    {
        // Copies of a small clip with random bytes overwritten, random runs zeroed, or the tail cut,
        // in both MP4 (an index to break) and MPEG-TS (a stream to break). Each one must either fail
        // setup with a reason or play to its end, within its timeouts.
        var originals = new[] { File.ReadAllBytes(Clips.BarcodeClip(1, 64, 48)), File.ReadAllBytes(Clips.BarcodeClip(1, 64, 48, container: "ts")) };
        string folder = Directory.CreateTempSubdirectory("mpegcoder-fuzz").FullName;
        var random = new Random(20261125);
        int opened = 0, refused = 0;
        using var client = new MpegClient();
        client.Options = client.Options with { OpenTimeout = TimeSpan.FromSeconds(5), StallTimeout = TimeSpan.FromSeconds(2), CacheSize = 4 };
        for (int i = 0; i < 200; i++)
        {
            byte[] bytes = (byte[])originals[i % 2].Clone();
            switch (random.Next(3))
            {
                case 0:
                    for (int k = random.Next(1, 64); k > 0; k--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    int start = random.Next(bytes.Length), length = Math.Min(random.Next(1, 2048), bytes.Length - start);
                    Array.Clear(bytes, start, length);
                    break;
                default:
                    Array.Resize(ref bytes, random.Next(1, bytes.Length));
                    break;
            }
            string path = Path.Combine(folder, $"fuzz{i}.{(i % 2 == 0 ? "mp4" : "ts")}");
            File.WriteAllBytes(path, bytes);

            var clock = Stopwatch.StartNew();
            if (client.FFmpegSetup(path))
            {
                opened++;
                Assert.True(client.Start());
                Frames.WaitUntil(() => client.ExtractFrame() is null, TimeSpan.FromSeconds(10), $"the end of {path}");
                Assert.NotNull(client.LastError);
            }
            else
            {
                refused++;
                Assert.False(string.IsNullOrWhiteSpace(client.LastError));
            }
            client.Clear();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"{path} took {clock.Elapsed}");
            File.Delete(path);
        }
        Assert.Equal(200, opened + refused);
        Assert.True(opened > 20 && refused > 20, $"the damage varied: {opened} opened, {refused} refused");
    }
}
