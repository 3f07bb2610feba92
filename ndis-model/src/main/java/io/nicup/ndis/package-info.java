/**
 * The NDIS 6 miniport contract, as nicup models it: the library side a miniport calls ({@link Ndis}),
 * NDIS itself as the CLI drives it ({@link NdisHost}), and a verifier that names every deviation
 * ({@link Verifier}, {@link Rule}). A miniport written against this package goes through the sequence a
 * Windows NIC driver goes through, on a {@link io.nicup.vfio.PciDevice} (VFIO or simulated):
 *
 * <pre>
 * DriverEntry ─► NdisMRegisterMiniportDriver ─► MiniportSetOptions (inside the call)
 *   per adapter: MiniportInitializeEx ─► Paused ⇄ (MiniportRestart) Running ─► MiniportPause ─► Paused
 *                ─► MiniportHaltEx ─► Halted          (MiniportShutdownEx ─► Shutdown, terminal)
 * MiniportDriverUnload ─► NdisMDeregisterMiniportDriver
 * (DriverEntry failing after registering ─► NdisMDeregisterMiniportDriver from DriverEntry)
 * </pre>
 *
 * Facts and numbers come from {@code docs/ndis-contract.md} (cited as "docs/ndis-contract.md §n" in the code) and
 * docs/ndis-contract.md §1.1; constants cite their source where they are defined.
 *
 * <h2>Packages</h2>
 * <ul>
 * <li>{@code io.nicup.ndis} (this package): the two facades, {@link Ndis} (the DDI surface a miniport
 *     calls) and {@link NdisHost} (NDIS as the CLI drives it, configured by {@link HostOptions}), and the
 *     few types every subpackage uses:
 *     {@link NdisStatus}, {@link NdisStatusException}, {@link NdisException}, {@link MacAddress},
 *     {@link NdisCall}, {@link NdisObjectHeader}, {@link NdisVersion}, and {@link NdisInternal}, the mark
 *     on what is public only for the subpackages. Keeping these here spares every miniport an import per
 *     status constant, and the overview below stays in one place.</li>
 * <li>{@code io.nicup.ndis.driver}: driver registration (DriverEntry, the characteristics and handler
 *     interfaces, load and unload).</li>
 * <li>{@code io.nicup.ndis.adapter}: the adapter state machine, attributes, hardware resources,
 *     interrupts, timers and the completions of pending work.</li>
 * <li>{@code io.nicup.ndis.datapath}: NBLs, their pools, send, completion, receive indication and
 *     return.</li>
 * <li>{@code io.nicup.ndis.oid}: OID requests and status indications, and the values they carry.</li>
 * <li>{@code io.nicup.ndis.trace}: the trace, the rules, the verifier and fault injection.</li>
 * <li>{@code io.nicup.ndis.config}: the registry path, the parameter file and its keywords.</li>
 * <li>{@code io.nicup.ndis.rss}: the software Toeplitz hash, RSS's reference.</li>
 * <li>{@code io.nicup.ndis.protocol}: the protocol side ({@link io.nicup.ndis.protocol.NdisProtocolEdge},
 *     {@link io.nicup.ndis.protocol.FrameEdge}).</li>
 * <li>{@code io.nicup.ndis.host}: the machinery the host's parts share (internal).</li>
 * </ul>
 * Dependencies point one way: the miniports ({@code io.nicup.ndis.miniport.*}) use the facades and the
 * miniport-facing types of the subpackages, never the protocol package nor what is {@link NdisInternal}.
 *
 * <h2>Writing a miniport</h2>
 *
 * <h3>Conventions</h3>
 * <ul>
 * <li>NDIS functions keep their DDI names ({@code ndis.NdisMRegisterInterruptEx(...)}), handlers are
 *     functional interfaces named after the DDI callbacks ({@link MiniportInitializeEx} ...).</li>
 * <li>A C function returning only an NDIS_STATUS returns an {@code int}; one returning a status and an
 *     out-parameter returns the out-value and throws {@link NdisStatusException} (with
 *     {@link NdisStatusException#status()}) on failure.</li>
 * <li>{@code D} is the driver context type, {@code A} the adapter context type: every adapter handler
 *     receives the {@code A} given in the registration attributes, so handlers are method references on
 *     the adapter class.</li>
 * <li>Handlers return statuses; they never throw ({@link Rule#HANDLER_THREW}).</li>
 * </ul>
 *
 * <h3>DriverEntry and unload</h3>
 * {@snippet :
 * int driverEntry(DriverObject driverObject, RegistryPath registryPath) {      // MiniportDriverEntry
 *     ndis = driverObject.ndis();
 *     var c = new MiniportDriverCharacteristics<E1000Driver, E1000Adapter>()
 *             .header(MiniportDriverCharacteristics.headerFor(MiniportDriverCharacteristics.REVISION_2))
 *             .ndisVersion(NdisVersion.NDIS_6_30).majorDriverVersion(1).minorDriverVersion(0)
 *             .setOptionsHandler(this::setOptions)                // optional; runs inside the registration
 *             .initializeHandlerEx(this::initializeEx)
 *             .unloadHandler(this::unload)
 *             .haltHandlerEx(E1000Adapter::halt).pauseHandler(E1000Adapter::pause)
 *             .restartHandler(E1000Adapter::restart).oidRequestHandler(E1000Adapter::oidRequest)
 *             .sendNetBufferListsHandler(E1000Adapter::send)
 *             .returnNetBufferListsHandler(E1000Adapter::returnNetBufferLists)
 *             .cancelSendHandler(E1000Adapter::cancelSend).cancelOidRequestHandler(E1000Adapter::cancelOid)
 *             .devicePnPEventNotifyHandler(E1000Adapter::pnpEvent).shutdownHandlerEx(E1000Adapter::shutdown)
 *             .checkForHangHandlerEx(E1000Adapter::checkForHang).resetHandlerEx(E1000Adapter::reset);
 *     try {
 *         driverHandle = ndis.NdisMRegisterMiniportDriver(driverObject, registryPath, this, c);
 *     } catch (NdisStatusException e) {
 *         return e.status();                        // BAD_VERSION, BAD_CHARACTERISTICS, RESOURCES, ...
 *     }
 *     if (!driverWideInitialization()) {
 *         ndis.NdisMDeregisterMiniportDriver(driverHandle);       // the failure path of docs/ndis-contract.md §1.1
 *         return NdisStatus.RESOURCES;
 *     }
 *     return NdisStatus.SUCCESS;
 * }
 *
 * void unload(DriverObject driverObject) {                        // MiniportDriverUnload
 *     ndis.NdisMDeregisterMiniportDriver(driverHandle);
 * }
 * }
 *
 * <h3>MiniportInitializeEx (order per docs/ndis-contract.md §2) and MiniportHaltEx (reverse, interrupt first)</h3>
 * {@snippet :
 * int initializeEx(NdisAdapterHandle h, E1000Driver driver, InitParameters p) {
 *     E1000Adapter a = new E1000Adapter(h);
 *     int s = ndis.NdisMSetMiniportAttributes(h, MiniportAdapterAttributes.registration(a)        // 1. first
 *             .attributeFlags(Registration.HARDWARE_DEVICE | Registration.BUS_MASTER).build());
 *     if (s != NdisStatus.SUCCESS) return NdisStatus.FAILURE;
 *     try {
 *         NdisConfiguration cfg = ndis.NdisOpenConfigurationEx(h);                                // parameters
 *         int rx = ndis.NdisReadConfiguration(cfg, StandardKeywords.RECEIVE_BUFFERS.withRange(80, 4096)).intValue();
 *         ParameterValue mac = ndis.NdisReadNetworkAddress(cfg);
 *         ndis.NdisCloseConfiguration(cfg);
 *         a.regs = ndis.NdisMMapIoSpace(h, p.allocatedResources().bar(0));                       // hardware
 *         // ... reset the NIC, read the permanent address (RegisterPoll with ndis.deviceClock(h))
 *         s = ndis.NdisMSetMiniportAttributes(h, MiniportAdapterAttributes.general()             // 2. mandatory
 *                 .mtuSize(1500).linkSpeeds(1_000_000_000L, General.LINK_SPEED_UNKNOWN)
 *                 .mediaConnectState(MediaConnectState.MediaConnectStateUnknown)
 *                 .supportedPacketFilters(NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST
 *                         | NdisPacketFilter.MULTICAST | NdisPacketFilter.ALL_MULTICAST | NdisPacketFilter.PROMISCUOUS)
 *                 .maxMulticastListSize(16).permanentMacAddress(perm).currentMacAddress(current)
 *                 .supportedOidList(OIDS).powerManagementCapabilitiesEx(NdisPmCapabilities.NONE).build());
 *         a.dma = ndis.NdisMRegisterScatterGatherDma(h, ScatterGatherDmaDescription.DEFAULT);   // bus master on
 *         a.rxRing = ndis.NdisMAllocateSharedMemory(h, 4096, true, "rx-ring");
 *         a.rxBuffers = ndis.NdisMAllocateSharedMemory(h, rx * 2048L, true, "rx-buffers");
 *         a.rxPool = ndis.NdisAllocateNetBufferListPool(h, NetBufferListPoolParameters.withoutData(rx, "rx"));
 *         for (int i = 0; i < rx; i++) {                      // one NBL per receive buffer, no copy later
 *             a.rxNbl[i] = a.rxPool.allocate(a.rxBuffers.slice(i * 2048L, 2048),
 *                     a.rxBuffers.physicalAddress(i * 2048L), 0, 0);
 *         }
 *         a.interrupt = ndis.NdisMRegisterInterruptEx(h, a, new InterruptCharacteristics<E1000Adapter>()
 *                 .allHandlers(E1000Adapter::isr, E1000Adapter::dpc, E1000Adapter::enable, E1000Adapter::disable));
 *         return NdisStatus.SUCCESS;                          // adapter is now Paused
 *     } catch (NdisStatusException e) {
 *         a.releaseAll();                                     // reverse order; the model names any leak
 *         return e.status() == NdisStatus.RESOURCES ? NdisStatus.RESOURCES : NdisStatus.FAILURE;
 *     }
 * }
 *
 * void halt(HaltAction action) {                              // MiniportHaltEx, on E1000Adapter
 *     ndis.NdisMDeregisterInterruptEx(interrupt);             // first: the ISR may run until this returns
 *     // free the rx NBLs to their pool, then:
 *     ndis.NdisFreeNetBufferListPool(rxPool);
 *     ndis.NdisMFreeSharedMemory(handle, rxBuffers);
 *     ndis.NdisMFreeSharedMemory(handle, rxRing);
 *     ndis.NdisMDeregisterScatterGatherDma(dma);
 *     ndis.NdisMUnmapIoSpace(handle, regs);
 * }
 * }
 *
 * <h3>Send, receive, return</h3>
 * {@snippet :
 * void send(NetBufferList nbls, int port, int flags) {         // MiniportSendNetBufferLists
 *     for (NetBufferList nbl = nbls; nbl != null; ) {
 *         NetBufferList next = nbl.next();
 *         nbl.setNext(null);
 *         if (pausing) { nbl.setStatus(NdisStatus.PAUSED); complete(nbl); }
 *         else for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
 *             txRing.post(nb.dataIova(), nb.dataLength());   // DMA straight from the NET_BUFFER
 *         }
 *         nbl = next;
 *     }
 * }
 *
 * void dpc(int messageId) {                                    // after isr() returned IsrResult.QUEUE_DPC
 *     NetBufferList done = txRing.reapCompleted();             // statuses set, chained
 *     if (done != null) ndis.NdisMSendNetBufferListsComplete(handle, done, 0);
 *     NetBufferList head = null, tail = null; int n = 0;       // a batch of received frames
 *     for (int i; (i = rxRing.nextFrame()) >= 0; n++) {
 *         rxNbl[i].firstNetBuffer().setData(0, rxRing.length(i));
 *         if (head == null) head = rxNbl[i]; else tail.setNext(rxNbl[i]);
 *         tail = rxNbl[i]; tail.setNext(null);
 *     }
 *     outstanding += n;                                       // before: the return may come during the call
 *     if (head != null) ndis.NdisMIndicateReceiveNetBufferLists(handle, head, 0, n, 0);
 * }
 *
 * void returnNetBufferLists(NetBufferList nbls, int flags) {    // MiniportReturnNetBufferLists
 *     for (NetBufferList nbl = nbls; nbl != null; nbl = nbl.next()) rxRing.refill(nbl); outstanding -= count;
 *     if (pausePending && outstanding == 0 && txRing.empty()) ndis.NdisMPauseComplete(handle);
 * }
 * }
 * With {@link NdisReceiveFlags#RESOURCES} the NBLs are the miniport's again when the indication returns.
 * MiniportReturnNetBufferLists may run before NdisMIndicateReceiveNetBufferLists returns (the protocol
 * may return from its receive handler), as in Windows.
 *
 * <h3>OIDs, status, timers</h3>
 * {@snippet :
 * int oidRequest(NdisOidRequest r) {                           // MiniportOidRequest
 *     return switch (r.oid()) {
 *         case Oid.OID_802_3_PERMANENT_ADDRESS -> r.queryMacAddress(permanent);   // BUFFER_TOO_SHORT + BytesNeeded handled
 *         case Oid.GEN_STATISTICS -> r.queryStatistics(stats());
 *         case Oid.GEN_CURRENT_PACKET_FILTER -> setFilter(r);   // r.requireLength(4), r.readUlong(0)
 *         default -> NdisStatus.NOT_SUPPORTED;
 *     };
 * }
 * ndis.NdisMIndicateStatusEx(handle, NdisStatusIndication.linkState(NdisLinkState.connected(1_000_000_000L,
 *         MediaDuplexState.MediaDuplexStateFull)));             // NDIS then answers OID_GEN_LINK_STATE
 * NdisTimer t = ndis.NdisAllocateTimerObject(handle, E1000Adapter::watchdog, this);
 * ndis.NdisSetTimerObject(t, 1_000_000_000L, 1_000_000_000L);   // device-clock nanoseconds
 * }
 * NDIS answers OID_GEN_LINK_STATE, OID_GEN_MAXIMUM_FRAME_SIZE and OID_GEN_SUPPORTED_LIST queries itself.
 *
 * <h2>Driving it: the host API (what the CLI calls)</h2>
 * {@snippet :
 * try (NdisHost host = new NdisHost(HostOptions.defaults())) {      // RECORD verifier, interrupt threads
 *     LoadedDriver drv = host.loadDriver("e1000e", new E1000Driver()::driverEntry, RegistryPath.load(paramFile));
 *     MiniportAdapter a = host.addAdapter(drv, pciDevice, protocolEdge);     // a.initStatus(), a.state()
 *     host.restart(a);                                                         // SUCCESS or PENDING
 *     NetBufferListPool pool = host.allocateSendPool(a, 64, 2048);            // DMA buffers of the device
 *     host.send(a, frames, 0, 0);           // completions and receives arrive at protocolEdge
 *     host.query(a, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1).join();
 *     host.pause(a);  host.halt(a, HaltAction.NdisHaltDeviceDisabled);  host.unloadDriver(drv);
 *     host.trace().writeHuman(System.out);  host.trace().writeJsonLines(jsonOut);
 *     Verifier.Verdict verdict = host.verifier().verdict();                   // passed(), violations()
 * }
 * }
 * Also: {@link NdisHost#shutdown}, {@link NdisHost#surpriseRemove}, {@link NdisHost#reset},
 * {@link NdisHost#returnNetBufferLists}, {@link NdisHost#cancelSend}, {@link NdisHost#oidRequest},
 * {@link NdisHost#directOidRequest}, {@link NdisHost#awaitState}, {@link NdisHost#idle},
 * {@link NdisHost#runTimers}, {@link NdisHost#pollInterrupts}, {@link NdisHost#addStatusListener},
 * {@link NdisHost#parameterProblems}, {@link NdisHost#traceCounters}, {@link NdisHost#faults()}
 * (inject failures into NDIS calls). {@link HostOptions#deterministic} (virtual clock, STRICT,
 * polled interrupts, no threads) is what tests use. Host requests the state does not allow throw
 * {@link NdisException}; {@link NdisHost#close()} halts and unloads whatever is left.
 *
 * <h2>Parameter file (the registry path)</h2>
 * {@snippet lang=properties :
 * # '#' or ';' starts a comment
 * [*]                          # every adapter (keys before any section land here too)
 * *ReceiveBuffers = 512        # decimal or 0x hexadecimal; names case-insensitive
 * [0000:01:00.0]               # one adapter by PCI address (01:00.0 means domain 0)
 * *JumboPacket = 9014
 * NetworkAddress = 02-00-5E-10-00-01    # 12 hex digits, '-' or ':' optional; unicast, not zero
 * }
 * Lookup: the adapter's section, then {@code [*]}. Syntax errors (line neither comment, section nor
 * {@code key = value}; a section neither {@code *} nor a PCI address; a key twice in one section) throw
 * {@link ParameterFileException} naming file and line. Values are checked against the keyword definition
 * the miniport reads with ({@link Keyword}; standard ones in {@link StandardKeywords}: *ReceiveBuffers,
 * *TransmitBuffers, *JumboPacket 1514/4088/9014, *SpeedDuplex 0/1/2/3/4/6, *FlowControl 0-4,
 * *InterruptModeration 0/1, NetworkAddress): absent gives the default with status FAILURE, a bad value the
 * default with status INVALID_DATA, reported in the trace ({@code config} events) and in
 * {@link NdisHost#parameterProblems()}.
 *
 * <h2>Trace (JSON lines)</h2>
 * One object per line, in begin order:
 * <pre>
 * {"seq":12,"t_ns":1000123456,"dur_ns":2100,"depth":2,"kind":"call","dir":"miniport-&gt;ndis",
 *  "name":"NdisMRegisterInterruptEx","driver":"e1000e","adapter":"0000:01:00.0",
 *  "status":"0x00000000","status_name":"NDIS_STATUS_SUCCESS","thread":"main","detail":{}}
 * </pre>
 * seq (int), t_ns (device clock at begin), dur_ns (0 for instants, -1 still running), depth (call
 * nesting), kind ({@code call|state|acquire|release|config|violation|counters|indication}), dir
 * ({@code host->ndis|ndis->miniport|miniport->ndis|ndis->protocol|""}), name (DDI call name; "Paused-&gt;Restarting"
 * for a state; the resource for acquire/release; the keyword for config; "RULE-ID NAME" for a violation;
 * "DataPath" for counters), driver, adapter, status and status_name (only when the event has a status),
 * thread, detail (string map). The data path is never traced per packet: {@code counters} events carry
 * sends, completions, indications, returns, bytes and ISR/DPC counts at every pause, at halt and on
 * {@link NdisHost#traceCounters}. See {@link NdisTrace}.
 *
 * <h2>Verifier</h2>
 * Every rule is a {@link Rule} with an id ({@code DRV-01} ...), its sentence and its source:
 * DRV-01..14 (version, header/size, handlers beyond revision, required handlers, Direct OID pair,
 * reset with CheckForHang, flags, register once, DriverEntry outcome both ways, deregister once and from
 * the right place, unload deregisters, unload after halt); ATTR-01..06 and INIT-01..02 (attributes only
 * in initialize, registration first, once each, header revision, general complete, general mandatory;
 * initialize statuses, release on failure); DMA-01..02, INT-01 (bus master, DMA before shared memory,
 * interrupt handlers); RES-01..03, HALT-01..02, TMR-01 (release known, reverse order, interrupt first,
 * halt releases all, no call after halt, cancel before free); STATE-01..07 (pause/restart completion,
 * pause cannot fail, restart status, no sends or receives outstanding at pause completion, handlers do
 * not throw); SEND-01..04, RECV-01..03, NBL-01..02 (completion of known NBLs once with documented
 * statuses, PAUSED while pausing, receive state/count/ownership, NBL and pool freeing); OID-01..08,
 * IND-01..02, RST-01; OFL-01..04 (offload and hardware-assist attributes after the general ones and once,
 * their headers, the default and every indicated current offload configuration within the hardware
 * capabilities) and RSS-01..02 (well-formed RSS capabilities, an invalid RSS parameters set refused).
 * In {@link VerifierMode#RECORD} violations are collected for
 * {@link Verifier#verdict()}; in {@link VerifierMode#STRICT} the breaking call throws
 * {@link NdisVerifierException} naming the rule.
 *
 * <h2>Choices where the documentation is open (UNCONFIRMED in docs/ndis-contract.md)</h2>
 * <ul>
 * <li>A MiniportSetOptions failure fails NdisMRegisterMiniportDriver with that status; the driver is not
 *     registered.</li>
 * <li>A missing required handler is BAD_CHARACTERISTICS; handlers beyond the declared revision are
 *     BAD_CHARACTERISTICS too (NDIS would ignore them silently).</li>
 * <li>NDIS_STATUS_SEND_ABORTED = 0xC001000C (= REQUEST_ABORTED, per the WDK's ndis.h); object types
 *     0x8A/0x9E/0x9F confirmed against public ndis.h copies.</li>
 * <li>Incomplete general attributes: INVALID_PARAMETER. Attribute revisions accepted: 1-2.</li>
 * <li>A call out of order (hardware before registration attributes, ...) returns FAILURE; any violation
 *     during MiniportInitializeEx fails the initialization (NDIS calls MiniportHaltEx with
 *     NdisHaltDeviceInitializationFailed when the miniport had returned SUCCESS).</li>
 * <li>Status indications are accepted only from an initialized adapter (Paused to Pausing).</li>
 * <li>The release-order rules apply to teardowns (failed initialization, halt); at run time a miniport may
 *     free and reallocate shared memory freely.</li>
 * <li>NdisMRegisterScatterGatherDma turns PCI bus mastering on, its deregistration off.</li>
 * <li>Offload and RSS (docs/ndis-contract.md §9, §10): a default offload configuration outside the
 *     hardware capabilities is INVALID_PARAMETER; NDIS_OFFLOAD revisions 1-2 only; an OID_TCP_OFFLOAD_PARAMETERS
 *     or OID_GEN_RECEIVE_SCALE_PARAMETERS set nicup's core cannot take is INVALID_DATA (INVALID_LENGTH for a
 *     short buffer) and changes nothing; an RSS indirection table entry names a receive queue.</li>
 * <li>Enable/disable interrupt handlers are required but never called (no shared lines, no power
 *     transitions); the ISR runs on a thread, not at DIRQL.</li>
 * </ul>
 */
package io.nicup.ndis;

import io.nicup.ndis.config.Keyword;
import io.nicup.ndis.config.ParameterFileException;
import io.nicup.ndis.config.StandardKeywords;
import io.nicup.ndis.datapath.NdisReceiveFlags;
import io.nicup.ndis.driver.MiniportInitializeEx;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Verifier;
import io.nicup.ndis.trace.VerifierMode;
