using MpegCoder.Interop;
using static MpegCoder.Interop.FFmpegConstants;

namespace MpegCoder.Native;

/// <summary>
/// The one way MpegCoder sets and reads FFmpeg settings: AVOptions by name on an object that has them
/// (a codec context, a format context), never through struct offsets: the names are FFmpeg's stable
/// interface. A setter first checks with av_opt_find that this FFmpeg has the option, so a missing
/// option and a refused value both give <see cref="FFmpegOptionException"/>, which names the option,
/// the value and FFmpeg's reason.
/// </summary>
internal static unsafe class AVOptions
{
    /// <summary>Sets an option from its text form ("1/25", "yuvj420p", "nokey").</summary>
    public static void Set(void* obj, string option, string value)
    {
        fixed (byte* name = CString.From(option))
        fixed (byte* text = CString.From(value))
        {
            RequireOption(obj, name, option);
            Check(ffmpeg.av_opt_set(obj, name, text, 0), option, value);
        }
    }

    /// <summary>Sets an integer option ("threads", "err_detect", "qmin").</summary>
    public static void Set(void* obj, string option, long value)
    {
        fixed (byte* name = CString.From(option))
        {
            RequireOption(obj, name, option);
            Check(ffmpeg.av_opt_set_int(obj, name, value, 0), option, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Sets a rational option ("pkt_timebase").</summary>
    public static void Set(void* obj, string option, AVRational value)
    {
        fixed (byte* name = CString.From(option))
        {
            RequireOption(obj, name, option);
            Check(ffmpeg.av_opt_set_q(obj, name, value, 0), option, $"{value.num}/{value.den}");
        }
    }

    /// <summary>An integer option's value ("threads", "g", "bf"), or 0 when the object does not have it.</summary>
    public static long GetInt(void* obj, string option)
    {
        long value = 0;
        fixed (byte* name = CString.From(option))
            return ffmpeg.av_opt_get_int(obj, name, 0, &value) < 0 ? 0 : value;
    }

    /// <summary>The names an options dictionary still holds after an open: FFmpeg removes each one a component took.</summary>
    public static string[] Unused(AVDictionary* dictionary)
    {
        var names = new List<string>();
        AVDictionaryEntry* entry = null;
        byte empty = 0;
        while ((entry = ffmpeg.av_dict_get(dictionary, &empty, entry, AV_DICT_IGNORE_SUFFIX)) != null)
            names.Add(CString.Read(entry->key) ?? "");
        return [.. names];
    }

    /// <summary>The message for options FFmpeg did not take, naming each; null when there are none.</summary>
    public static string? NotRecognised(IEnumerable<string> names)
    {
        string list = string.Join(", ", names.Select(n => $"'{n}'"));
        return list.Length == 0 ? null : $"FFmpeg did not recognise the option(s) {list}";
    }

    private static void RequireOption(void* obj, byte* name, string option)
    {
        if (ffmpeg.av_opt_find(obj, name, null, 0, 0) == null)
            throw new FFmpegOptionException($"this FFmpeg has no option '{option}' here", 0);
    }

    private static void Check(int ret, string option, string value)
    {
        if (ret < 0) throw new FFmpegOptionException($"cannot set the option {option}={value}: {FFmpegError.Text(ret)}", ret);
    }
}

/// <summary>An AVOption FFmpeg does not have or refused; <see cref="Exception.Message"/> names it and says why.</summary>
internal sealed class FFmpegOptionException(string message, int errorCode) : InvalidOperationException(message)
{
    /// <summary>FFmpeg's (negative) error code, or 0 when the option does not exist.</summary>
    public int ErrorCode { get; } = errorCode;
}
