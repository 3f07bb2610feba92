/**
 * The Linux VFIO implementation of the device-access interfaces, through the FFM API only (no JNI, no
 * {@code Unsafe}).
 *
 * <h2>Layers</h2>
 * <ul>
 * <li>{@link io.nicup.vfio.linux.LibC}: the C library downcalls, each a {@code static final MethodHandle}
 * built once, errno captured with {@code captureCallState("errno")}; {@code ioctl} as two variadic handles
 * (pointer and integer argument). {@link io.nicup.vfio.linux.Errno} names the numbers.</li>
 * <li>{@link io.nicup.vfio.linux.VfioAbi}: ioctl numbers and constants of {@code linux/vfio.h};
 * {@code VfioStructs}: its struct layouts; {@link io.nicup.vfio.linux.VfioInfoBuffers}: pure parsers of the
 * info structs and their capability chains.</li>
 * <li>{@link io.nicup.vfio.linux.VfioKernel}: every kernel request as one typed method;
 * {@link io.nicup.vfio.linux.FfmVfioKernel} is the real one, tests use a double. Failures are
 * {@link io.nicup.vfio.linux.NativeCallException}s whose reason and remedy
 * {@link io.nicup.vfio.linux.VfioErrors} chooses from (operation, errno) as docs/hardware-reference.md A.6 explains.</li>
 * <li>{@link io.nicup.vfio.linux.Sysfs}, {@link io.nicup.vfio.linux.Procfs},
 * {@link io.nicup.vfio.linux.NetInterfaces}: the system as files, under injectable roots.</li>
 * <li>{@link io.nicup.vfio.linux.DeviceBinder} (bind to vfio-pci and back, with a record in the state
 * directory), {@link io.nicup.vfio.linux.DeviceLock} (one nicup per device),
 * {@link io.nicup.vfio.linux.Preflight} (what is missing and what to do).</li>
 * <li>{@link io.nicup.vfio.linux.VfioContainer}, {@link io.nicup.vfio.linux.VfioGroup},
 * {@link io.nicup.vfio.linux.VfioPciDevice} with {@link io.nicup.vfio.linux.VfioConfigSpace},
 * {@code VfioBars} (the BARs, mapped on first use) as
 * {@link io.nicup.vfio.linux.MappedRegisterSpace}/{@link io.nicup.vfio.linux.SparseRegisterSpace},
 * {@link io.nicup.vfio.linux.VfioDmaAllocator} (over {@link io.nicup.vfio.linux.IovaAllocator}) and
 * {@link io.nicup.vfio.linux.VfioInterrupts}.</li>
 * </ul>
 *
 * <h2>The open sequence (docs/hardware-reference.md A.4)</h2>
 * <pre>
 *  sysfs: device exists, driver == vfio-pci, iommu_group -&gt; N
 *  DeviceLock  &lt;stateDir&gt;/&lt;BDF&gt;.lock                      (BUSY "in use by PID n")
 *  open /dev/vfio/vfio; GET_API_VERSION == 0; CHECK_EXTENSION TYPE1v2 (3) else TYPE1 (1); never NOIOMMU (8)
 *  open /dev/vfio/N (EBUSY: name the holder from /proc/PID/fd); GROUP_GET_STATUS must be VIABLE
 *  GROUP_SET_CONTAINER(&amp;container_fd); SET_IOMMU(type); IOMMU_GET_INFO (page sizes, IOVA ranges, dma_avail)
 *  GROUP_GET_DEVICE_FD("DDDD:BB:DD.F"); DEVICE_GET_INFO; GET_REGION_INFO 0..8; GET_IRQ_INFO 0..4
 *  config space = pread/pwrite at region[7].offset; BARs mmap'd on first use (sparse areas + pread/pwrite)
 * </pre>
 *
 * <h2>Ownership</h2>
 * One owner per native resource, and an arena as long-lived as the owner:
 * <ul>
 * <li>{@code VfioPciDevice} owns the lock, the container, group and device fds, the BAR mappings (one
 * shared arena each, closed before {@code munmap}; {@code VfioBars} makes them), the DMA allocator and the
 * interrupts. It records each
 * acquisition in a {@code Closer}; {@code close()} turns bus mastering off, then releases everything in
 * reverse order, and a failure half-way through {@code open} releases what was acquired so far, attaching
 * release failures as suppressed exceptions.</li>
 * <li>{@code VfioDmaAllocator} owns its chunks (mmap + IOMMU mapping + IOVA); each {@code DmaRegion} has its
 * own arena, so its segment dies with {@code close()}; the chunk is unmapped (IOVA first, then
 * {@code munmap}) when its last region closes.</li>
 * <li>An armed {@code InterruptSet} owns its eventfds and an arena with its {@code pollfd} array and errno
 * capture segment; closing it disables the IRQ index and closes the eventfds.</li>
 * <li>Stateless calls ({@code FfmVfioKernel}, {@code MemlockLimit}, config accesses) allocate their structs
 * and errno segment in a {@code try (Arena a = Arena.ofConfined())} per call, which also makes them
 * thread-safe.</li>
 * </ul>
 */
package io.nicup.vfio.linux;
