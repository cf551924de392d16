;; SIMD (f64x2) inner loops of the Householder reductions in singular-values: the only hot code of the SVD.
;; All pointers are byte offsets into the exported memory; vectors are float64, row-major matrices with n columns.
;; Rebuild the embedded binary with `node scripts/build-wasm.mjs` after editing.
(module
  (memory (export "memory") 1)

  ;; Σ_{t<len} x[t]·y[t], four independent f64x2 accumulators (8 elements per iteration).
  (func $dot (export "dot") (param $x i32) (param $y i32) (param $len i32) (result f64)
    (local $end i32) (local $end8 i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $end8 (i32.add (local.get $x) (i32.shl (i32.and (local.get $len) (i32.const -8)) (i32.const 3))))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $x) (local.get $end8)))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (local.get $x)) (v128.load (local.get $y)))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $x)) (v128.load offset=16 (local.get $y)))))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (v128.load offset=32 (local.get $x)) (v128.load offset=32 (local.get $y)))))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (v128.load offset=48 (local.get $x)) (v128.load offset=48 (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 64)))
        (local.set $y (i32.add (local.get $y) (i32.const 64)))
        (br $loop)))
    (local.set $a0 (f64x2.add (f64x2.add (local.get $a0) (local.get $a1)) (f64x2.add (local.get $a2) (local.get $a3))))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $x)) (f64.load (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (br $loop)))
    (local.get $s))

  ;; y[t] −= c·x[t] for t < len.
  (func $axpy (param $y i32) (param $x i32) (param $len i32) (param $c f64)
    (local $end i32) (local $end4 i32) (local $C v128)
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $end4 (i32.add (local.get $y) (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 3))))
    (local.set $C (f64x2.splat (local.get $c)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $y) (local.get $end4)))
        (v128.store (local.get $y) (f64x2.sub (v128.load (local.get $y)) (f64x2.mul (local.get $C) (v128.load (local.get $x)))))
        (v128.store offset=16 (local.get $y)
          (f64x2.sub (v128.load offset=16 (local.get $y)) (f64x2.mul (local.get $C) (v128.load offset=16 (local.get $x)))))
        (local.set $y (i32.add (local.get $y) (i32.const 32)))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (br $loop)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
        (f64.store (local.get $y) (f64.sub (f64.load (local.get $y)) (f64.mul (local.get $c) (f64.load (local.get $x)))))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $loop))))

  ;; row[t] ← row[t] − c1·w[t] − c2·v[t];  z[t] += zc·row[t]   for t < len.
  (func $update (param $row i32) (param $w i32) (param $v i32) (param $z i32) (param $len i32)
                (param $c1 f64) (param $c2 f64) (param $zc f64)
    (local $end i32) (local $end4 i32) (local $C1 v128) (local $C2 v128) (local $ZC v128) (local $t v128) (local $u v128) (local $s f64)
    (local.set $end (i32.add (local.get $row) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $end4 (i32.add (local.get $row) (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 3))))
    (local.set $C1 (f64x2.splat (local.get $c1)))
    (local.set $C2 (f64x2.splat (local.get $c2)))
    (local.set $ZC (f64x2.splat (local.get $zc)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $row) (local.get $end4)))
        (local.set $t (f64x2.sub (f64x2.sub (v128.load (local.get $row)) (f64x2.mul (local.get $C1) (v128.load (local.get $w))))
                                 (f64x2.mul (local.get $C2) (v128.load (local.get $v)))))
        (local.set $u (f64x2.sub (f64x2.sub (v128.load offset=16 (local.get $row)) (f64x2.mul (local.get $C1) (v128.load offset=16 (local.get $w))))
                                 (f64x2.mul (local.get $C2) (v128.load offset=16 (local.get $v)))))
        (v128.store (local.get $row) (local.get $t))
        (v128.store offset=16 (local.get $row) (local.get $u))
        (v128.store (local.get $z) (f64x2.add (v128.load (local.get $z)) (f64x2.mul (local.get $ZC) (local.get $t))))
        (v128.store offset=16 (local.get $z) (f64x2.add (v128.load offset=16 (local.get $z)) (f64x2.mul (local.get $ZC) (local.get $u))))
        (local.set $row (i32.add (local.get $row) (i32.const 32)))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
        (local.set $v (i32.add (local.get $v) (i32.const 32)))
        (local.set $z (i32.add (local.get $z) (i32.const 32)))
        (br $loop)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $row) (local.get $end)))
        (local.set $s (f64.sub (f64.sub (f64.load (local.get $row)) (f64.mul (local.get $c1) (f64.load (local.get $w))))
                               (f64.mul (local.get $c2) (f64.load (local.get $v)))))
        (f64.store (local.get $row) (local.get $s))
        (f64.store (local.get $z) (f64.add (f64.load (local.get $z)) (f64.mul (local.get $zc) (local.get $s))))
        (local.set $row (i32.add (local.get $row) (i32.const 8)))
        (local.set $w (i32.add (local.get $w) (i32.const 8)))
        (local.set $v (i32.add (local.get $v) (i32.const 8)))
        (local.set $z (i32.add (local.get $z) (i32.const 8)))
        (br $loop))))

  ;; One fused pass of the bidiagonalization over rows i0..i1−1 (see householder-bidiagonalization.ts):
  ;; pending left reflector (τ_L, u, w) and right reflector (τ_R, v) on columns k..n−1, column k saved in col,
  ;; and z[k+1:] += a_i·row_i[k+1:] for rows i ≥ k+2.  wv = Σ_{j≥k} w[j]·v[j].
  (func (export "bidiagonalRows") (param $a i32) (param $n i32) (param $k i32) (param $i0 i32) (param $i1 i32)
        (param $w i32) (param $v i32) (param $z i32) (param $u i32) (param $col i32)
        (param $tauL f64) (param $tauR f64) (param $wv f64)
    (local $i i32) (local $row i32) (local $koff i32) (local $len i32) (local $c1 f64) (local $c2 f64) (local $ai f64)
    (local.set $koff (i32.shl (local.get $k) (i32.const 3)))
    (local.set $len (i32.sub (local.get $n) (local.get $k)))
    (local.set $i (local.get $i0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $row (i32.add (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 3))) (local.get $koff)))
        (local.set $c1 (f64.mul (local.get $tauL) (f64.load (i32.add (local.get $u) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $c2 (f64.mul (local.get $tauR)
          (f64.sub (call $dot (local.get $row) (i32.add (local.get $v) (local.get $koff)) (local.get $len))
                   (f64.mul (local.get $c1) (local.get $wv)))))
        (local.set $ai (f64.sub (f64.sub (f64.load (local.get $row))
                                         (f64.mul (local.get $c1) (f64.load (i32.add (local.get $w) (local.get $koff)))))
                                (local.get $c2)))
        (f64.store (local.get $row) (local.get $ai))
        (f64.store (i32.add (local.get $col) (i32.shl (local.get $i) (i32.const 3))) (local.get $ai))
        (call $update
          (i32.add (local.get $row) (i32.const 8))
          (i32.add (i32.add (local.get $w) (local.get $koff)) (i32.const 8))
          (i32.add (i32.add (local.get $v) (local.get $koff)) (i32.const 8))
          (i32.add (i32.add (local.get $z) (local.get $koff)) (i32.const 8))
          (i32.sub (local.get $len) (i32.const 1))
          (local.get $c1) (local.get $c2)
          (select (f64.const 0) (local.get $ai) (i32.eq (local.get $i) (i32.add (local.get $k) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; Applies reflectors kFirst..kFirst+kCount−1 (vector t at vBase + t·n·8, entries k..n−1; τ_t at taus + t·8) in
  ;; order to each row r0..r1−1: row[k:] −= τ (row[k:]·v[k:]) v[k:].
  (func (export "reflectRows") (param $a i32) (param $n i32) (param $r0 i32) (param $r1 i32)
        (param $vBase i32) (param $taus i32) (param $kFirst i32) (param $kCount i32)
    (local $i i32) (local $t i32) (local $k i32) (local $row i32) (local $vec i32) (local $tau f64) (local $len i32)
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $t (i32.const 0))
        (block $next
          (loop $reflectors
            (br_if $next (i32.ge_u (local.get $t) (local.get $kCount)))
            (local.set $tau (f64.load (i32.add (local.get $taus) (i32.shl (local.get $t) (i32.const 3)))))
            (if (f64.ne (local.get $tau) (f64.const 0))
              (then
                (local.set $k (i32.add (local.get $kFirst) (local.get $t)))
                (local.set $len (i32.sub (local.get $n) (local.get $k)))
                (local.set $row (i32.add (local.get $a)
                  (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k)) (i32.const 3))))
                (local.set $vec (i32.add (local.get $vBase)
                  (i32.shl (i32.add (i32.mul (local.get $t) (local.get $n)) (local.get $k)) (i32.const 3))))
                (call $axpy (local.get $row) (local.get $vec) (local.get $len)
                  (f64.mul (local.get $tau) (call $dot (local.get $row) (local.get $vec) (local.get $len))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $reflectors)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
