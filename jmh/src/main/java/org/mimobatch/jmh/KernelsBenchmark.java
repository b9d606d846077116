package org.mimobatch.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.backend.cpu.CpuBackend;
import org.mimobatch.pipeline.backend.cpu.KernelChoice;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cpu backend's kernels on one chunk of {@value #CHUNK} i.i.d. CN(0, 1) square matrices, per
 * route: {@code java} (the plain-Java kernels), {@code lapacke}, or {@code measured} (the routing
 * the backend uses). Scores are matrices per second.
 *
 * <pre>java -jar jmh/target/benchmarks.jar -p n=8 -p route=java,lapacke</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.cachedir=target/javacpp-cache", "--add-modules=jdk.incubator.vector"})
public class KernelsBenchmark {
  static final int CHUNK = 1024;

  @Param({"2", "4", "8", "16"})
  int n;

  @Param({"measured", "java", "lapacke"})
  String route;

  @Param({"DOUBLE", "SINGLE"})
  Precision precision;

  private LinalgBackend backend;
  private ComplexBatch a;
  private ComplexBatch gram;
  private ComplexBatch b;
  private ComplexBatch x;
  private RealBatch values;
  private ComplexBatch u;
  private ComplexBatch vh;
  private byte[] status;

  @Setup(Level.Trial)
  public void setUp() {
    backend = CpuBackend.withKernels(switch (route) {
      case "java" -> KernelChoice.JAVA;
      case "lapacke" -> KernelChoice.LAPACKE;
      default -> KernelChoice.MEASURED;
    });
    SplittableRandom rng = new SplittableRandom(n);
    a = random(n, n, rng);
    b = random(n, 1, rng);
    gram = ComplexBatch.allocate(precision, n, n, CHUNK);
    backend.gram(a, gram);
    x = ComplexBatch.allocate(precision, n, 1, CHUNK);
    values = RealBatch.allocate(precision, n, CHUNK);
    u = ComplexBatch.allocate(precision, n, n, CHUNK);
    vh = ComplexBatch.allocate(precision, n, n, CHUNK);
    status = new byte[CHUNK];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    backend.close();
  }

  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public RealBatch svdValues() {
    backend.svdValues(a, values, status);
    return values;
  }

  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public RealBatch svdFull() {
    backend.svd(a, values, u, vh, status);
    return values;
  }

  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public RealBatch eigvalsh() {
    backend.eighValues(gram, values, status);
    return values;
  }

  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public RealBatch eigh() {
    backend.eigh(gram, values, u, status);
    return values;
  }

  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public ComplexBatch solve() {
    backend.solve(a, b, x, status);
    return x;
  }

  private ComplexBatch random(int rows, int cols, SplittableRandom rng) {
    ComplexBatch m = ComplexBatch.allocate(precision, rows, cols, CHUNK);
    for (int e = 0; e < CHUNK * m.matrixStride(); e++) {
      m.put(e, rng.nextGaussian() * Math.sqrt(0.5));
    }
    m.setCount(CHUNK);
    return m;
  }
}
