package io.nicup.cli;

import io.nicup.ndis.MacAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "send",
        header = "Send frames from a pcap file or generated ones, and summarize.",
        description = {
            "Brings the adapter up to Running with the link up, sends the frames through",
            "MiniportSendNetBufferLists, waits for every completion, prints frames, bytes, pps, bit rate, errors",
            "(failed completions; sends a pause gave back unsent with NDIS_STATUS_PAUSED are not sent (paused),",
            "no errors) and drops, then pauses, halts and unloads. When the device goes away mid-run",
            "(surprise removal) it also says how many frames were on its ring unconfirmed and how many never",
            "reached it, and exits 8. Generated frames go from the adapter's MAC to --dst with ethertype 0x88B5",
            "and a payload carrying the sequence number; --proto udp4|udp6|tcp4|tcp6 makes them UDP or TCP from",
            "198.18.0.1 to 198.19.0.1 (2001:2::1 to 2001:2::2) port 9, with IP and UDP/TCP checksums, over --flows",
            "source ports; --vlan adds an 802.1Q tag. --csum-offload on leaves the UDP/TCP checksum to the NIC",
            "(the IPv4 header checksum is still computed here: no NIC offloads it through nicup); --lso MSS sends",
            "each TCP frame (--size up to 65535) as one large send the NIC cuts into MSS-byte segments (the",
            "82574L and 82576 in their TSE descriptors, virtio-net with HOST_TSO4/6). Both need",
            "the adapter to have the offload on, else exit 4. Frame sizes must be 14..MTU+14 bytes (no FCS) and",
            "hold the headers. On a",
            "simulated NIC the frames appear on the mock wire; --capture writes them to a pcap file. Times on a",
            "simulated NIC are virtual and its rates simulated: the summary says so, and says when a rate",
            "exceeds the link speed."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup send 0000:01:00.0 --count 1000 --size 64 --dst 02:00:00:00:00:02 --rate 10000",
            "  nicup send 0000:01:00.0 --pcap frames.pcap",
            "  nicup send mock:82574L --count 10 --size 64 --dst ff:ff:ff:ff:ff:ff --capture out.pcap",
            "  nicup send mock:82574L --count 1000 --size 64-1514:50 --dst 02:00:00:00:00:02 --proto udp4 --flows 8 --vlan 100:5",
            "  nicup send 'mock:virtio-net?offload=on' --count 4 --size 65535 --dst 02:00:00:00:00:02 --proto tcp4 --lso 1448",
            "  nicup send mock:82576 --count 4 --size 65535 --dst 02:00:00:00:00:02 --proto tcp6 --lso 1440"})
final class SendCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions dev;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--pcap", paramLabel = "FILE", required = true, description = "Send the frames of this pcap file (- reads standard input).")
        Path pcap;

        @ArgGroup(exclusive = false)
        Generated generated;
    }

    static final class Generated {
        @Option(names = "--count", paramLabel = "N", required = true, description = "Frames to generate (1..10000000).")
        int count;

        @Option(names = "--size", paramLabel = "BYTES", required = true,
                description = "Frame size without FCS (14..MTU+14), a sweep A-B[:STEP] or a list A,B,C (frame i has the i-th size, repeating).")
        String size;

        @Option(names = "--dst", paramLabel = "MAC", required = true, description = "Destination MAC, e.g. 02:00:00:00:00:02.")
        String dst;

        @Option(names = "--proto", paramLabel = "PROTO", defaultValue = "raw",
                description = "udp4, udp6, tcp4, tcp6 or raw (ethertype 0x88B5; default).")
        String proto;

        @Option(names = "--flows", paramLabel = "N", defaultValue = "1",
                description = "UDP/TCP flows: the source port is 49152 + frame %% N (1..16384; default 1).")
        int flows;

        @Option(names = "--csum-offload", paramLabel = "MODE", defaultValue = "off",
                description = "on: leave the UDP/TCP checksum to the NIC (NBL checksum information); off: compute it here (default).")
        String csumOffload;

        @Option(names = "--lso", paramLabel = "MSS",
                description = "TCP only: send each frame as one LSOv2 large send cut into MSS-byte segments (64..9000); --size up to 65535.")
        Integer lso;

        @Option(names = "--vlan", paramLabel = "ID[:PCP]", description = "Tag the frames with 802.1Q VLAN ID (0..4094), priority PCP (0..7).")
        String vlan;
    }

    @Option(names = "--rate", paramLabel = "PPS", description = "Frames per second (1..10000000; default: as fast as possible).")
    Integer rate;

    @Option(names = "--capture", paramLabel = "FILE.pcap",
            description = "Simulated NIC only: write the frames the mock wire captured to a pcap file (the last 1000000 at most).")
    Path capture;

    @Option(names = "--interval", paramLabel = "S",
            description = "Print frames, pps and bit rate every S seconds (0.001..86400), since the last line and in total.")
    Double interval;

    @Override
    public Integer call() {
        double every = IntervalStats.check(interval);
        if (rate != null) {
            Traffic.bounded("--rate", rate, 1, Traffic.MAX_RATE);
        }
        SendFrames frames = source.generated != null ? generated(source.generated) : SendFrames.of(source.pcap, dev.output.environment().stdin());
        if (capture != null) {
            Traffic.requireMock(dev.device, "--capture");
            OutputFile.check("--capture", capture);
        }
        try (StopSignal stop = StopSignal.install()) {
            Session s = dev.open();
            SendRun.Report report = s.run(x -> new SendRun(x, dev.output, stop, capture, every).send(frames,
                    rate == null ? 0 : rate));
            dev.output.print(report);
            return s.finish(report.failure(), report.interrupted());
        }
    }

    private static SendFrames generated(Generated g) {
        Traffic.bounded("--count", g.count, 1, Traffic.MAX_COUNT);
        FrameSizes sizes = FrameSizes.parse(g.size);
        int largest = g.lso != null ? SendOffload.MAX_LSO_FRAME : Pcap.MAX_FRAME;
        Traffic.checkFrameSize("--size", sizes.min(), largest - Traffic.ETHERNET_HEADER);
        Traffic.checkFrameSize("--size", sizes.max(), largest - Traffic.ETHERNET_HEADER);
        MacAddress dst = Traffic.parseMac("--dst", g.dst);
        if (!g.csumOffload.equals("on") && !g.csumOffload.equals("off")) {
            throw new CliException(ExitCode.USAGE, "invalid --csum-offload '" + g.csumOffload + "'", "give on or off");
        }
        IpHeaders.Checksums checksums = IpHeaders.Checksums.SOFTWARE;
        if (g.lso != null) {
            Traffic.bounded("--lso", g.lso, 64, 9000);
            checksums = IpHeaders.Checksums.LARGE_SEND;
        } else if (g.csumOffload.equals("on")) {
            checksums = IpHeaders.Checksums.OFFLOAD;
        }
        return SendFrames.generated(new GeneratedFrames(dst, g.count, sizes, GeneratedFrames.Proto.parse(g.proto), g.flows,
                g.vlan == null ? null : GeneratedFrames.Vlan.parse(g.vlan), checksums, g.lso == null ? 0 : g.lso));
    }
}
