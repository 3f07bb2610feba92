package io.nicup.cli;

import io.nicup.ndis.NdisException;
import io.nicup.ndis.config.RegistryPath;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --params}: the driver's parameter file (KEYWORD = VALUE per line), as the registry it reads. */
final class ParameterFile {

    /** A parameter file holds a few dozen lines; anything over 1 MiB is the wrong file. */
    static final long MAX_PARAMETER_FILE = 1L << 20;

    private ParameterFile() {
    }

    /** The file's keywords, or null for none (the driver then reads an empty registry under its name). */
    static RegistryPath load(Path params) {
        if (params == null) {
            return null;   // an empty one under the driver's name
        }
        if (!Files.exists(params)) {
            throw new CliException(ExitCode.USAGE, "parameter file not found: file=" + params, "check the path");
        }
        if (!Files.isRegularFile(params)) {
            throw new CliException(ExitCode.USAGE, "parameter file is not a regular file: file=" + params + " type="
                    + (Files.isDirectory(params) ? "directory" : "special"), "give the parameter file itself, not a"
                    + " directory, FIFO or device");
        }
        long size;
        try {
            size = Files.size(params);
        } catch (java.io.IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read parameter file: file=" + params + " error=" + e.getMessage(),
                    "check the path and its permissions");
        }
        if (size > MAX_PARAMETER_FILE) {   // read whole: a wrong path must not fill the heap
            throw new CliException(ExitCode.USAGE, "parameter file too large: file=" + params + " bytes=" + size
                    + " limit=" + MAX_PARAMETER_FILE, "give the driver's parameter file (KEYWORD = VALUE per line)");
        }
        try {
            return RegistryPath.load(params);
        } catch (NdisException e) {
            throw new CliException(ExitCode.USAGE, "invalid parameter file: file=" + params + " error="
                    + e.getMessage(), "fix the file (format: KEYWORD = VALUE per line)");
        }
    }
}
