package dev.tunnelcast.agent.capture;

import static org.bytedeco.ffmpeg.global.avdevice.avdevice_free_list_devices;
import static org.bytedeco.ffmpeg.global.avdevice.avdevice_list_input_sources;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.avdevice.AVDeviceInfo;
import org.bytedeco.ffmpeg.avdevice.AVDeviceInfoList;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** What capture devices this machine has, as FFmpeg's input devices report them. */
public final class DeviceCatalog {

    public static final List<String> FORMATS = List.of("video4linux2", "alsa", "pulse", "x11grab");

    private DeviceCatalog() {}

    /** Devices of one input format, as {@code "name (description)"}; empty if none or unknown. */
    public static List<String> list(String format) {
        List<String> out = new ArrayList<>();
        if (format.equals("video4linux2")) {
            out.addAll(videoNodes());
        }
        if (format.equals("x11grab")) {
            String display = System.getenv("DISPLAY");
            if (display != null && !display.isBlank()) {
                out.add(display + " (the X display in $DISPLAY)");
            }
            return out;
        }
        try {
            FFmpegFrameGrabber.tryLoad();
            AVInputFormat input = av_find_input_format(format);
            if (input == null) {
                return out;
            }
            AVDeviceInfoList list = new AVDeviceInfoList(null);
            int n = avdevice_list_input_sources(input, (String) null, null, list);
            if (n > 0) {
                for (int i = 0; i < list.nb_devices(); i++) {
                    AVDeviceInfo info = list.devices(i);
                    String name = info.device_name().getString();
                    String entry = name + " (" + info.device_description().getString() + ")";
                    if (out.stream().noneMatch(e -> e.startsWith(name + " ") || e.equals(name))) {
                        out.add(entry);
                    }
                }
            }
            avdevice_free_list_devices(list);
        } catch (Exception | LinkageError e) {
            // Listing is best effort: a device library that cannot enumerate leaves the list as is.
        }
        return out;
    }

    private static List<String> videoNodes() {
        try (Stream<Path> dev = Files.list(Path.of("/dev"))) {
            return dev.map(Path::toString).filter(p -> p.startsWith("/dev/video")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A sentence for error messages: what this format has to offer. */
    public static String availableSentence(String format) {
        List<String> devices = list(format);
        String shown = format.equals("video4linux2") ? "v4l2" : format;
        return devices.isEmpty() ? "no " + shown + " devices found on this machine"
                : "available " + shown + " devices: " + String.join(", ", devices);
    }
}
