/** The shared conformance suite of @rank-collapse/backend, run on onnxruntime-node. */
import { describeBackendConformance } from '@rank-collapse/backend/testing';
import * as ort from 'onnxruntime-node';
import { createOnnxBackend } from './create-onnx-backend.js';

describeBackendConformance('onnx', () => createOnnxBackend({ ort }));
