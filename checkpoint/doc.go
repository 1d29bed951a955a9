// Package checkpoint reads the weights of a network trained elsewhere — a
// PyTorch state_dict — from an untrusted file, without Python and without
// executing anything the file contains.
//
// Load and Decode return a StateDict: named tensors in file order, each a
// view of the file's bytes at its own dtype, offset and strides — nothing is
// copied or widened when a file is read. Tensor.Float64s widens a copy in C
// (row-major) order when a caller needs one; Tensor.Stats summarises without
// widening. Inspect returns only the tensors' summaries (Inventory), streaming
// what it can, for `neurosim inspect`. Which tensors a model needs, and
// whether an integer tensor may serve as a weight, is for the model builder
// to decide; this package reads every tensor of the state_dict and judges
// none.
//
// # Formats
//
// The format is detected from the content, not the file name:
//
//   - torch zip: torch.save in torch >= 1.6 (torch.go);
//   - torch legacy: torch.save(…, _use_new_zipfile_serialization=False) or
//     torch < 1.6 (torch.go); the older tar format is refused;
//   - safetensors (safetensors.go);
//   - npz: numpy.savez and numpy.savez_compressed (npz.go).
//
// Each reader's file documents its format. Tensors may be float32, float64,
// float16, bfloat16 (all widened exactly), int8, int16, int32, int64, uint8
// or bool (widened exactly up to 2^53 in magnitude). The .npy members of an
// npz are parsed by internal/npyfile, the project's one .npy reader.
//
// # State dicts and wrappers
//
// The pickled object may be the state_dict itself (a dict or OrderedDict of
// name → tensor) or a dict wrapping it, as training scripts write:
//
//	{"epoch": 3, "model_state_dict": sd, "optimizer_state_dict": {...}}
//
// Options.StateKey picks the wrapper entry. Without it, the entry is chosen
// when exactly one top-level entry is a dict holding tensors; otherwise the
// error lists the candidates (or, for a missing StateKey, the entries).
// StateDict.Key records the choice. Inside the chosen state_dict every value
// must be a tensor; only one level of wrapping is looked through.
//
// # The pickle allow-list
//
// A pickle is a program for a stack machine that may import and call any
// Python global, so loading one is running it. This package never does:
// every pickle is first pre-scanned (prescan.go), which refuses it if it
// names a global outside this list, and only then run by
// github.com/nlpodyssey/gopickle, with every allowed global bound to a Go
// value of this package:
//
//	collections.OrderedDict                         the state_dict container
//	torch._utils._rebuild_tensor_v2                 a tensor (and its v1 form, _rebuild_tensor)
//	torch._utils._rebuild_parameter                 an nn.Parameter: its tensor
//	torch._utils._rebuild_parameter_with_state      the same, with attributes (ignored)
//	torch.{Float,Double,Half,BFloat16}Storage       storage classes named in persistent ids
//	torch.{Long,Int,Short,Char,Byte,Bool}Storage
//	_codecs.encode                                  a Python bytes value under protocol 2
//
// These are what torch.save writes for a state_dict, and a strict subset of
// what torch.load(weights_only=True) accepts. The state_dict's _metadata
// attribute (module versions) arrives by BUILD on the OrderedDict and needs
// no global; _codecs.encode is allowed because torch.save's protocol 2
// pickles any Python bytes value in a wrapper that way, and it is a pure
// function here that returns an opaque value without reading its argument.
// Wrapper entries other than the state_dict (epochs, losses, optimizer and
// scheduler state, strings) pickle with these globals and plain containers
// only, so accepting wrappers does not widen the list. A wrapper holding
// anything else — argparse.Namespace, NumPy scalars, a whole nn.Module — is
// refused with the global it names (a GlobalError); re-save
// model.state_dict() alone.
//
// # Bounds
//
// Untrusted input is checked before memory is committed to it:
//
//   - Load refuses a regular file larger than Options.MaxBytes (default the
//     package variable MaxBytes, 2 GiB; the neurosim flag
//     --max-checkpoint-bytes) before reading it. A pipe or device is
//     recognised by its first 512 bytes (so /dev/zero fails at once) and
//     then read through the same limit. The file is held in memory: it is
//     what the tensors view.
//     LoadFS reads a file of an fs.FS (a set directory) the same way.
//   - Zip members are read through internal/zipread, the project's one
//     bounded zip reader: a member's declared size is checked against what
//     it must hold (a storage's numel × item size, at most 64 MiB for
//     data.pkl, a .npy header plus 8 bytes per element still allowed) and
//     against deflate's largest expansion (1032:1) before it is read; it is
//     never inflated past its declared size, and its CRC-32 is checked. The
//     members read from one archive may declare at most Options.MaxBytes
//     together. A stored member (torch's way) is a view of the file's bytes;
//     a deflated one is inflated into a buffer that grows as bytes arrive.
//   - The pickle pre-scan checks every length against the bytes present and
//     estimates, opcode by opcode, the memory the pickle VM will allocate;
//     a pickle estimated above 256 MiB is refused (a real state_dict costs
//     about 12 KiB per tensor by this measure).
//   - Every tensor is checked to lie within its storage (dims and strides
//     non-negative, offset + Σ (size−1)·stride < numel, no overflow), and
//     the elements of all tensors together — what a caller widening every
//     tensor to float64 would hold — are bounded by Options.MaxElements
//     (default the package variable MaxElements, 2^28, i.e. 2 GiB of
//     float64; the neurosim flag --max-checkpoint-elements), since views
//     such as broadcasts can repeat storage elements.
//   - Inspect holds the file and O(1) per tensor: a broadcast (stride-0)
//     dimension is counted, not walked, and a compressed npz member or
//     torch storage viewed contiguously is streamed through the
//     statistics, so neither a 595-byte file showing a 16384×16384
//     broadcast nor a 1 MB npz of 1 GiB of zeros costs more than a few MB.
//   - Safetensors offsets must tile the data exactly with no overflow.
//
// Any panic in the third-party pickle VM is recovered and returned as an
// error; FuzzDecode checks that no input panics.
//
// # Errors
//
// Errors are one line naming the file: a *FormatError for a malformed or
// inconsistent file, an *UnsupportedError for a valid file using a feature
// not read here, a *GlobalError for a pickle naming a global outside the
// allow-list. Names taken from the file are quoted and shortened.
package checkpoint
