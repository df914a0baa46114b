package dev.tunnelcast.wire;

import dev.tunnelcast.proto.v1.CloseCode;
import dev.tunnelcast.proto.v1.CloseCodesProto;
import java.util.Arrays;
import java.util.List;

/**
 * Reads what {@code close_codes.proto} says about each close code: its reason text and
 * whether it is fatal (a client must not reconnect). The enum there is the one definition;
 * this class only gives its options plain names.
 */
public final class CloseCodes {

    private static final String PREFIX = "CLOSE_CODE_";
    private static final List<CloseCode> DEFINED = Arrays.stream(CloseCode.values())
            .filter(c -> c != CloseCode.CLOSE_CODE_UNSPECIFIED && c != CloseCode.UNRECOGNIZED)
            .toList();

    private CloseCodes() {
    }

    /** Every close code the relay may send, in code order. */
    public static List<CloseCode> all() {
        return DEFINED;
    }

    /** The reason text of the close frame. */
    public static String reason(CloseCode code) {
        return code.getValueDescriptor().getOptions().getExtension(CloseCodesProto.closeReason);
    }

    /** The name without the enum prefix, e.g. {@code BAD_MESSAGE} (docs/protocol.md, metrics). */
    public static String shortName(CloseCode code) {
        return code.name().substring(PREFIX.length());
    }

    /** The client must not reconnect after this code. */
    public static boolean isFatal(CloseCode code) {
        return code.getValueDescriptor().getOptions().getExtension(CloseCodesProto.closeFatal);
    }

    /** {@link #isFatal(CloseCode)} for a code as received; codes not defined here are not fatal. */
    public static boolean isFatal(int code) {
        CloseCode known = CloseCode.forNumber(code);
        return known != null && isFatal(known);
    }
}
