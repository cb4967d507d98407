package dev.jtap.record;

import java.util.Locale;

/** Human-readable byte counts: "512 bytes", "1.2 KB", "5.0 MB". */
final class ByteSizes {

    private static final String[] UNITS = {"KB", "MB", "GB", "TB"};

    private ByteSizes() {
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
