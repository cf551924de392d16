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
  ;; Rows go in pairs so that the loads of v, w and z serve two rows.
  (func (export "bidiagonalRows") (param $a i32) (param $n i32) (param $k i32) (param $i0 i32) (param $i1 i32)
        (param $w i32) (param $v i32) (param $z i32) (param $u i32) (param $col i32)
        (param $tauL f64) (param $tauR f64) (param $wv f64)
    (local $i i32) (local $rowA i32) (local $rowB i32) (local $koff i32) (local $len i32)
    (local $c1a f64) (local $c2a f64) (local $aa f64) (local $c1b f64) (local $c2b f64) (local $ab f64) (local $zca f64)
    (local $wk f64)
    (local.set $koff (i32.shl (local.get $k) (i32.const 3)))
    (local.set $len (i32.sub (local.get $n) (local.get $k)))
    (local.set $wk (f64.load (i32.add (local.get $w) (local.get $koff))))
    (local.set $i (local.get $i0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $i1)))
        (local.set $rowA (i32.add (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 3))) (local.get $koff)))
        (local.set $rowB (i32.add (local.get $rowA) (i32.shl (local.get $n) (i32.const 3))))
        (local.set $c1a (f64.mul (local.get $tauL) (f64.load (i32.add (local.get $u) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $c1b (f64.mul (local.get $tauL) (f64.load offset=8 (i32.add (local.get $u) (i32.shl (local.get $i) (i32.const 3))))))
        ;; col[i], col[i+1] hold the two dot products until a_i, a_{i+1} replace them below.
        (call $dot2 (local.get $rowA) (local.get $rowB) (i32.add (local.get $v) (local.get $koff)) (local.get $len)
          (i32.add (local.get $col) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $c2a (f64.mul (local.get $tauR) (f64.sub (f64.load (i32.add (local.get $col) (i32.shl (local.get $i) (i32.const 3))))
          (f64.mul (local.get $c1a) (local.get $wv)))))
        (local.set $c2b (f64.mul (local.get $tauR) (f64.sub (f64.load offset=8 (i32.add (local.get $col) (i32.shl (local.get $i) (i32.const 3))))
          (f64.mul (local.get $c1b) (local.get $wv)))))
        (local.set $aa (f64.sub (f64.sub (f64.load (local.get $rowA)) (f64.mul (local.get $c1a) (local.get $wk))) (local.get $c2a)))
        (local.set $ab (f64.sub (f64.sub (f64.load (local.get $rowB)) (f64.mul (local.get $c1b) (local.get $wk))) (local.get $c2b)))
        (f64.store (local.get $rowA) (local.get $aa))
        (f64.store (local.get $rowB) (local.get $ab))
        (f64.store (i32.add (local.get $col) (i32.shl (local.get $i) (i32.const 3))) (local.get $aa))
        (f64.store offset=8 (i32.add (local.get $col) (i32.shl (local.get $i) (i32.const 3))) (local.get $ab))
        (local.set $zca (select (f64.const 0) (local.get $aa) (i32.eq (local.get $i) (i32.add (local.get $k) (i32.const 1)))))
        (call $update2
          (i32.add (local.get $rowA) (i32.const 8)) (i32.add (local.get $rowB) (i32.const 8))
          (i32.add (i32.add (local.get $w) (local.get $koff)) (i32.const 8))
          (i32.add (i32.add (local.get $v) (local.get $koff)) (i32.const 8))
          (i32.add (i32.add (local.get $z) (local.get $koff)) (i32.const 8))
          (i32.sub (local.get $len) (i32.const 1))
          (local.get $c1a) (local.get $c2a) (local.get $zca) (local.get $c1b) (local.get $c2b) (local.get $ab))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows)))
    (if (i32.lt_u (local.get $i) (local.get $i1))
      (then
        (local.set $rowA (i32.add (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 3))) (local.get $koff)))
        (local.set $c1a (f64.mul (local.get $tauL) (f64.load (i32.add (local.get $u) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $c2a (f64.mul (local.get $tauR)
          (f64.sub (call $dot (local.get $rowA) (i32.add (local.get $v) (local.get $koff)) (local.get $len))
                   (f64.mul (local.get $c1a) (local.get $wv)))))
        (local.set $aa (f64.sub (f64.sub (f64.load (local.get $rowA)) (f64.mul (local.get $c1a) (local.get $wk))) (local.get $c2a)))
        (f64.store (local.get $rowA) (local.get $aa))
        (f64.store (i32.add (local.get $col) (i32.shl (local.get $i) (i32.const 3))) (local.get $aa))
        (call $update
          (i32.add (local.get $rowA) (i32.const 8))
          (i32.add (i32.add (local.get $w) (local.get $koff)) (i32.const 8))
          (i32.add (i32.add (local.get $v) (local.get $koff)) (i32.const 8))
          (i32.add (i32.add (local.get $z) (local.get $koff)) (i32.const 8))
          (i32.sub (local.get $len) (i32.const 1))
          (local.get $c1a) (local.get $c2a)
          (select (f64.const 0) (local.get $aa) (i32.eq (local.get $i) (i32.add (local.get $k) (i32.const 1))))))))

  ;; out[0] = x·v, out[1] = y·v over len entries (v loaded once for both rows).
  (func $dot2 (param $x i32) (param $y i32) (param $v i32) (param $len i32) (param $out i32)
    (local $end i32) (local $end4 i32) (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local $vv v128) (local $sa f64) (local $sb f64) (local $vs f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $end4 (i32.add (local.get $x) (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $x) (local.get $end4)))
        (local.set $vv (v128.load (local.get $v)))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (local.get $x)) (local.get $vv))))
        (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (v128.load (local.get $y)) (local.get $vv))))
        (local.set $vv (v128.load offset=16 (local.get $v)))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $x)) (local.get $vv))))
        (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (v128.load offset=16 (local.get $y)) (local.get $vv))))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (local.set $y (i32.add (local.get $y) (i32.const 32)))
        (local.set $v (i32.add (local.get $v) (i32.const 32)))
        (br $loop)))
    (local.set $a0 (f64x2.add (local.get $a0) (local.get $a1)))
    (local.set $b0 (f64x2.add (local.get $b0) (local.get $b1)))
    (local.set $sa (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
    (local.set $sb (f64.add (f64x2.extract_lane 0 (local.get $b0)) (f64x2.extract_lane 1 (local.get $b0))))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $vs (f64.load (local.get $v)))
        (local.set $sa (f64.add (local.get $sa) (f64.mul (f64.load (local.get $x)) (local.get $vs))))
        (local.set $sb (f64.add (local.get $sb) (f64.mul (f64.load (local.get $y)) (local.get $vs))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (local.set $v (i32.add (local.get $v) (i32.const 8)))
        (br $loop)))
    (f64.store (local.get $out) (local.get $sa))
    (f64.store offset=8 (local.get $out) (local.get $sb)))

  ;; For rows x and y: row ← row − c1·w − c2·v; then z += zcx·x + zcy·y (w, v and z loaded once for both).
  (func $update2 (param $x i32) (param $y i32) (param $w i32) (param $v i32) (param $z i32) (param $len i32)
                 (param $c1x f64) (param $c2x f64) (param $zcx f64) (param $c1y f64) (param $c2y f64) (param $zcy f64)
    (local $end i32) (local $end2 i32) (local $C1X v128) (local $C2X v128) (local $ZX v128) (local $C1Y v128) (local $C2Y v128) (local $ZY v128)
    (local $wv v128) (local $vv v128) (local $tx v128) (local $ty v128) (local $sx f64) (local $sy f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $x) (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
    (local.set $C1X (f64x2.splat (local.get $c1x)))
    (local.set $C2X (f64x2.splat (local.get $c2x)))
    (local.set $ZX (f64x2.splat (local.get $zcx)))
    (local.set $C1Y (f64x2.splat (local.get $c1y)))
    (local.set $C2Y (f64x2.splat (local.get $c2y)))
    (local.set $ZY (f64x2.splat (local.get $zcy)))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $x) (local.get $end2)))
        (local.set $wv (v128.load (local.get $w)))
        (local.set $vv (v128.load (local.get $v)))
        (local.set $tx (f64x2.sub (f64x2.sub (v128.load (local.get $x)) (f64x2.mul (local.get $C1X) (local.get $wv))) (f64x2.mul (local.get $C2X) (local.get $vv))))
        (local.set $ty (f64x2.sub (f64x2.sub (v128.load (local.get $y)) (f64x2.mul (local.get $C1Y) (local.get $wv))) (f64x2.mul (local.get $C2Y) (local.get $vv))))
        (v128.store (local.get $x) (local.get $tx))
        (v128.store (local.get $y) (local.get $ty))
        (v128.store (local.get $z) (f64x2.add (v128.load (local.get $z))
          (f64x2.add (f64x2.mul (local.get $ZX) (local.get $tx)) (f64x2.mul (local.get $ZY) (local.get $ty)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $z (i32.add (local.get $z) (i32.const 16)))
        (br $loop)))
    (if (i32.lt_u (local.get $x) (local.get $end))
      (then
        (local.set $sx (f64.sub (f64.sub (f64.load (local.get $x)) (f64.mul (local.get $c1x) (f64.load (local.get $w))))
                                (f64.mul (local.get $c2x) (f64.load (local.get $v)))))
        (local.set $sy (f64.sub (f64.sub (f64.load (local.get $y)) (f64.mul (local.get $c1y) (f64.load (local.get $w))))
                                (f64.mul (local.get $c2y) (f64.load (local.get $v)))))
        (f64.store (local.get $x) (local.get $sx))
        (f64.store (local.get $y) (local.get $sy))
        (f64.store (local.get $z) (f64.add (f64.load (local.get $z))
          (f64.add (f64.mul (local.get $zcx) (local.get $sx)) (f64.mul (local.get $zcy) (local.get $sy))))))))

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
  ;; Applies a block of b reflectors (b a multiple of 4; vector t at vBase + t·n·8 holding columns k0..n−1, zero
  ;; before its own index) in compact WY form to rows r0..r1−1: row ← row − ((row·V) T) Vᵀ on columns k0..n−1,
  ;; with T the b×b upper-triangular factor (row-major at tBase) and y a 2b-double scratch.
  (func (export "applyBlockRows") (param $a i32) (param $n i32) (param $r0 i32) (param $r1 i32)
        (param $vBase i32) (param $tBase i32) (param $b i32) (param $k0 i32) (param $y i32)
    (local $i i32) (local $t i32) (local $j i32) (local $row i32) (local $len i32) (local $stride i32) (local $vec i32)
    (local $s f64) (local $yt i32)
    (local.set $len (i32.sub (local.get $n) (local.get $k0)))
    (local.set $stride (i32.shl (local.get $n) (i32.const 3)))
    (local.set $yt (i32.add (local.get $y) (i32.shl (local.get $b) (i32.const 3))))
    (local.set $i (local.get $r0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $row (i32.add (local.get $a)
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k0)) (i32.const 3))))
        ;; y = row · V, four reflectors per sweep over the row
        (local.set $t (i32.const 0))
        (block $dotsDone
          (loop $dots
            (br_if $dotsDone (i32.ge_u (local.get $t) (local.get $b)))
            (local.set $vec (i32.add (local.get $vBase)
              (i32.add (i32.mul (local.get $t) (local.get $stride)) (i32.shl (local.get $k0) (i32.const 3)))))
            (call $dot4 (local.get $row) (local.get $vec) (local.get $stride) (local.get $len)
              (i32.add (local.get $y) (i32.shl (local.get $t) (i32.const 3))))
            (local.set $t (i32.add (local.get $t) (i32.const 4)))
            (br $dots)))
        ;; yt_j = Σ_{t≤j} y_t T[t][j]
        (local.set $j (i32.const 0))
        (block $tDone
          (loop $tj
            (br_if $tDone (i32.ge_u (local.get $j) (local.get $b)))
            (local.set $s (f64.const 0))
            (local.set $t (i32.const 0))
            (block $inner
              (loop $tt
                (br_if $inner (i32.gt_u (local.get $t) (local.get $j)))
                (local.set $s (f64.add (local.get $s)
                  (f64.mul (f64.load (i32.add (local.get $y) (i32.shl (local.get $t) (i32.const 3))))
                           (f64.load (i32.add (local.get $tBase)
                             (i32.shl (i32.add (i32.mul (local.get $t) (local.get $b)) (local.get $j)) (i32.const 3)))))))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $tt)))
            (f64.store (i32.add (local.get $yt) (i32.shl (local.get $j) (i32.const 3))) (local.get $s))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tj)))
        ;; row −= yt · Vᵀ, four reflectors per sweep
        (local.set $t (i32.const 0))
        (block $axpyDone
          (loop $axpys
            (br_if $axpyDone (i32.ge_u (local.get $t) (local.get $b)))
            (local.set $vec (i32.add (local.get $vBase)
              (i32.add (i32.mul (local.get $t) (local.get $stride)) (i32.shl (local.get $k0) (i32.const 3)))))
            (call $axpy4 (local.get $row) (local.get $vec) (local.get $stride) (local.get $len)
              (i32.add (local.get $yt) (i32.shl (local.get $t) (i32.const 3))))
            (local.set $t (i32.add (local.get $t) (i32.const 4)))
            (br $axpys)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out[q] = Σ_{t<len} x[t]·v_q[t] for the four vectors v_q = v + q·stride.
  (func $dot4 (param $x i32) (param $v i32) (param $stride i32) (param $len i32) (param $out i32)
    (local $v1 i32) (local $v2 i32) (local $v3 i32) (local $end i32) (local $end2 i32) (local $xv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $xs f64)
    (local.set $v1 (i32.add (local.get $v) (local.get $stride)))
    (local.set $v2 (i32.add (local.get $v1) (local.get $stride)))
    (local.set $v3 (i32.add (local.get $v2) (local.get $stride)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $x) (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $x) (local.get $end2)))
        (local.set $xv (v128.load (local.get $x)))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $xv) (v128.load (local.get $v)))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $xv) (v128.load (local.get $v1)))))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $xv) (v128.load (local.get $v2)))))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $xv) (v128.load (local.get $v3)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $v1 (i32.add (local.get $v1) (i32.const 16)))
        (local.set $v2 (i32.add (local.get $v2) (i32.const 16)))
        (local.set $v3 (i32.add (local.get $v3) (i32.const 16)))
        (br $loop)))
    (if (i32.lt_u (local.get $x) (local.get $end))
      (then
        (local.set $xs (f64.load (local.get $x)))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $xs) (f64.load (local.get $v)))) (f64.const 0))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $xs) (f64.load (local.get $v1)))) (f64.const 0))))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $xs) (f64.load (local.get $v2)))) (f64.const 0))))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.replace_lane 1 (f64x2.splat (f64.mul (local.get $xs) (f64.load (local.get $v3)))) (f64.const 0))))))
    (f64.store (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
    (f64.store offset=8 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64x2.extract_lane 1 (local.get $a1))))
    (f64.store offset=16 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $a2)) (f64x2.extract_lane 1 (local.get $a2))))
    (f64.store offset=24 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $a3)) (f64x2.extract_lane 1 (local.get $a3)))))

  ;; x[t] −= Σ_q c[q]·v_q[t] for the four vectors v_q = v + q·stride and coefficients c[0..3].
  (func $axpy4 (param $x i32) (param $v i32) (param $stride i32) (param $len i32) (param $c i32)
    (local $v1 i32) (local $v2 i32) (local $v3 i32) (local $end i32) (local $end2 i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $v1 (i32.add (local.get $v) (local.get $stride)))
    (local.set $v2 (i32.add (local.get $v1) (local.get $stride)))
    (local.set $v3 (i32.add (local.get $v2) (local.get $stride)))
    (local.set $c0 (v128.load64_splat (local.get $c)))
    (local.set $c1 (v128.load64_splat offset=8 (local.get $c)))
    (local.set $c2 (v128.load64_splat offset=16 (local.get $c)))
    (local.set $c3 (v128.load64_splat offset=24 (local.get $c)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $x) (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $loop
        (br_if $done (i32.ge_u (local.get $x) (local.get $end2)))
        (v128.store (local.get $x)
          (f64x2.sub (v128.load (local.get $x))
            (f64x2.add (f64x2.add (f64x2.mul (local.get $c0) (v128.load (local.get $v))) (f64x2.mul (local.get $c1) (v128.load (local.get $v1))))
                       (f64x2.add (f64x2.mul (local.get $c2) (v128.load (local.get $v2))) (f64x2.mul (local.get $c3) (v128.load (local.get $v3)))))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $v1 (i32.add (local.get $v1) (i32.const 16)))
        (local.set $v2 (i32.add (local.get $v2) (i32.const 16)))
        (local.set $v3 (i32.add (local.get $v3) (i32.const 16)))
        (br $loop)))
    (if (i32.lt_u (local.get $x) (local.get $end))
      (then
        (f64.store (local.get $x)
          (f64.sub (f64.load (local.get $x))
            (f64.add (f64.add (f64.mul (f64x2.extract_lane 0 (local.get $c0)) (f64.load (local.get $v)))
                              (f64.mul (f64x2.extract_lane 0 (local.get $c1)) (f64.load (local.get $v1))))
                     (f64.add (f64.mul (f64x2.extract_lane 0 (local.get $c2)) (f64.load (local.get $v2)))
                              (f64.mul (f64x2.extract_lane 0 (local.get $c3)) (f64.load (local.get $v3))))))))))
)
