package io.nicup.benchmarks;

/**
 * The device's share alone: the same {@link BenchDevice} code the other variants run, on the same
 * memory, with the driver replaced by a plain store that hands the device its next batch. Subtract its
 * score from a variant's to get the driver's own cost.
 */
final class DevicePath {

    private final BenchDevice device;
    private final int batch;

    DevicePath(Fixture f, int batch) {
        this.device = f.device;
        this.batch = batch;
        f.prefillTxCommands();
    }

    int transmitBatch() {
        device.pretendTxDoorbell(batch);
        return device.transmit();
    }

    int receiveBatch() {
        device.pretendRxDoorbell();
        return device.receive(batch);
    }

    int forwardBatch() {
        device.pretendRxDoorbell();
        int n = device.receive(batch);
        device.pretendTxDoorbell(batch);
        return n + device.transmit();
    }

    int transmit(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += transmitBatch();
        }
        return s;
    }

    int receive(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += receiveBatch();
        }
        return s;
    }

    int forward(int packets) {
        int s = 0;
        for (int p = 0; p < packets; p += batch) {
            s += forwardBatch();
        }
        return s;
    }
}
