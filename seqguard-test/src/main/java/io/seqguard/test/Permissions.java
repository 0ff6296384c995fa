package io.seqguard.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * File modes for trees that the unprivileged server user must read although another user (root) wrote them.
 */
final class Permissions {

    private static final Set<PosixFilePermission> DIRECTORY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);

    private Permissions() {
    }

    /** Makes {@code root} and every directory below it {@code rwxr-xr-x}; files keep their modes. */
    static void worldReadableDirectory(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(path, DIRECTORY);
                }
            }
        }
    }

    /**
     * Applies a tar entry's mode to a file, readable by everyone and writable only by its owner; an executable
     * stays executable for everyone.
     */
    static void setWorldReadableFile(Path file, int mode) throws IOException {
        Set<PosixFilePermission> permissions = EnumSet.of(
                PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        if ((mode & 0200) != 0) {
            permissions.add(PosixFilePermission.OWNER_WRITE);
        }
        if ((mode & 0111) != 0) {
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
            permissions.add(PosixFilePermission.GROUP_EXECUTE);
            permissions.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        Files.setPosixFilePermissions(file, permissions);
    }

    /**
     * Returns the first directory from {@code path} up to {@code top} (null: the file system's root) that other
     * users cannot enter, if any.
     */
    static Path firstClosedAncestor(Path path, Path top) throws IOException {
        Path end = top == null ? null : top.getParent();
        for (Path p = path.toAbsolutePath(); p != null && !p.equals(end); p = p.getParent()) {
            if (Files.isDirectory(p)
                    && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return p;
            }
        }
        return null;
    }
}
