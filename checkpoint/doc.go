// Package checkpoint reads the weights of a network trained elsewhere — a
// PyTorch state_dict — from an untrusted file, without Python and without
// executing anything the file contains.
//
// Load and Decode return a StateDict: named tensors in file order, each
// decoded to float64 in C (row-major) order whatever its dtype and strides
// were in the file. Which tensors a model needs, and whether an integer
// tensor may serve as a weight, is for the model builder to decide; this
// package decodes every tensor of the state_dict and judges none.
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
// or bool (widened exactly up to 2^53 in magnitude).
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
//   - Load refuses a file larger than Options.MaxBytes (default 2 GiB)
//     before reading it.
//   - A zip member's declared size is checked against what it must hold (a
//     storage's numel × item size, at most 64 MiB for data.pkl) before it is
//     read; it is read through a limit and refused if it inflates past its
//     declared size. The members read from one archive may declare at most
//     Options.MaxBytes together.
//   - The pickle pre-scan checks every length against the bytes present and
//     estimates, opcode by opcode, the memory the pickle VM will allocate;
//     a pickle estimated above 256 MiB is refused (a real state_dict costs
//     about 12 KiB per tensor by this measure).
//   - Every tensor is checked to lie within its storage (dims and strides
//     non-negative, offset + Σ (size−1)·stride < numel, no overflow), and
//     the elements decoded over all tensors are bounded by
//     Options.MaxElements (default 2^28, i.e. 2 GiB of float64), since
//     views such as broadcasts can repeat storage elements.
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
