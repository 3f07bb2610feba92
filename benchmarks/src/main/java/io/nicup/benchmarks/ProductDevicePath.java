package io.nicup.benchmarks;

import io.nicup.ndis.miniport.intel.IntelAdapter;

/**
 * The product variants' device share alone: {@link ProductPath} brought up and handed over, then the
 * same {@link BenchDevice} code on the product's rings and register memory, with the driver replaced by
 * plain stores that hand the device its next batch, plus the vector it raises per batch as the product
 * variants do. Subtract its score from a {@code product_*} score at the same {@code nic} and batch to get
 * the driver-only time.
 */
final class ProductDevicePath {

    private final ProductPath product;
    private final BenchDevice device;
    private final int batch;

    ProductDevicePath(ProductPath product) {
        this.product = product;
        this.device = product.bench;
        this.batch = product.batch;
        device.requestStatusEverywhere(ProductPath.RING_SIZE);
    }

    void close() {
        product.close();
    }

    int transmitBatch() {
        device.pretendTxDoorbell(batch);
        int n = device.transmit();
        product.device.raise(IntelAdapter.VECTOR_TX);
        return n;
    }

    int receiveBatch() {
        device.pretendRxDoorbell();
        int n = device.receive(batch);
        product.device.raise(IntelAdapter.VECTOR_RX);
        return n;
    }

    int forwardBatch() {
        device.pretendRxDoorbell();
        int n = device.receive(batch);
        product.device.raise(IntelAdapter.VECTOR_RX);
        device.pretendTxDoorbell(batch);
        n += device.transmit();
        product.device.raise(IntelAdapter.VECTOR_TX);
        return n;
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
