package io.serigraph.benchmarks;

import io.serigraph.chain.ipfs.CarPacker;
import io.serigraph.chain.ipfs.ImportResult;
import io.serigraph.chain.ipfs.UnixFsImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * CID + CAR throughput on a real folder, the same work as {@code ipfs-car pack DIR --output FILE}:
 * {@code CarPackHarness DIR OUT.car [runs]} packs DIR with {@link CarPacker} once (as a cold, fresh
 * process does) and then {@code runs} more times in the same JVM (warm), and prints the root CID,
 * the cold time and the median and best warm times. {@code benchmarks/cid-vs-ipfs-car.sh} compares
 * it with ipfs-car on the same folder.
 */
public final class CarPackHarness {
    private CarPackHarness() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CarPackHarness DIR OUT.car [warm runs, default 10]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path car = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        long files;
        long bytes;
        try (var walk = Files.walk(dir)) {
            Path[] all = walk.filter(Files::isRegularFile).toArray(Path[]::new);
            files = all.length;
            long sum = 0;
            for (Path p : all) {
                sum += Files.size(p);
            }
            bytes = sum;
        }
        long t0 = System.nanoTime();
        ImportResult first = CarPacker.pack(new UnixFsImporter(), dir, true, car);
        double cold = (System.nanoTime() - t0) / 1e6;
        double[] warm = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            ImportResult r = CarPacker.pack(new UnixFsImporter(), dir, true, car);
            warm[i] = (System.nanoTime() - t) / 1e6;
            if (!r.root().equals(first.root())) {
                throw new IllegalStateException("root changed between runs");
            }
        }
        Arrays.sort(warm);
        double median = runs == 0 ? cold : warm[runs / 2];
        System.out.printf(
                Locale.ROOT,
                "root %s%nfiles %d, %.1f MB, CAR %.1f MB%ncold (first pack in this JVM) %.0f ms%n"
                        + "warm median of %d %.0f ms (best %.0f ms), %.0f MB/s, %.0f files/s%n",
                first.root(),
                files,
                bytes / 1e6,
                Files.size(car) / 1e6,
                cold,
                runs,
                median,
                runs == 0 ? cold : warm[0],
                bytes / 1e6 / (median / 1e3),
                files / (median / 1e3));
    }
}
