package io.serigraph.engine.opencl;

import java.nio.charset.StandardCharsets;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** Checked OpenCL calls: every error code becomes an {@link OpenClException} naming the call. */
final class Cl {
    private Cl() {}

    /** Throws when {@code code} is not {@code CL_SUCCESS}. */
    static void check(int code, String call) {
        if (code != CL.CL_SUCCESS) {
            throw new OpenClException(call + ": " + CL.stringFor_errorCode(code), code);
        }
    }

    static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        check(CL.clGetPlatformInfo(platform, param, 0, null, size), "clGetPlatformInfo");
        byte[] bytes = new byte[(int) size[0]];
        check(
                CL.clGetPlatformInfo(platform, param, bytes.length, Pointer.to(bytes), null),
                "clGetPlatformInfo");
        return text(bytes);
    }

    static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        check(CL.clGetDeviceInfo(device, param, 0, null, size), "clGetDeviceInfo");
        byte[] bytes = new byte[(int) size[0]];
        check(
                CL.clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null),
                "clGetDeviceInfo");
        return text(bytes);
    }

    /** A {@code cl_ulong} or {@code cl_bitfield} device property. */
    static long deviceLong(cl_device_id device, int param) {
        long[] value = new long[1];
        check(
                CL.clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(value), null),
                "clGetDeviceInfo");
        return value[0];
    }

    /** A {@code cl_bool} or {@code cl_uint} device property. */
    static int deviceInt(cl_device_id device, int param) {
        int[] value = new int[1];
        check(
                CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(value), null),
                "clGetDeviceInfo");
        return value[0];
    }

    /** A {@code size_t} device property. */
    static long deviceSize(cl_device_id device, int param) {
        long[] value = new long[1];
        check(
                CL.clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(value), null),
                "clGetDeviceInfo");
        return value[0];
    }

    /** A NUL-terminated C string. */
    private static String text(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8).strip();
    }
}
