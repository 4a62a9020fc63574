/* conv.h - 2-D convolution, its transpose and batch normalisation over channels,
 * forward and backward side by side, with PyTorch's semantics and layouts.
 *
 * Images are NCHW rows: a batch is (batch, c*h*w) row-major, one image per
 * row, channel after channel, each channel h rows of w pixels. So a batch of
 * images is also a plain matrix of rows, and a linear layer after a
 * convolution reads it flat.
 * Conventions as in layers.h: outputs first, then inputs, then sizes; backward
 * ADDS into its gradients and skips each one that is NULL; backward never
 * changes the weights.
 *
 * Two kernels behind each function, as for the linear layer: plain loops (the
 * definition; nn_get_kernel() == NN_KERNEL_REFERENCE selects them, see ops.h)
 * and the fast path: the patches of a few images at a time laid out as the
 * columns of a matrix (im2col), one product with nn_matmul's kernel, and the
 * way back (col2im), with the images cut between the threads.
 * `scratch` is where the fast path lays out its patches: nn_conv2d_scratch()
 * (or nn_conv_transpose2d_scratch()) floats for the largest batch the caller
 * will pass, reused call after call (a model keeps it in its workspace). NULL
 * makes the call allocate its own for the duration of the call (tests, one-off
 * calls), or run the plain loops if memory is short.
 */
#ifndef NN_CONV_H
#define NN_CONV_H

#include <stddef.h>

/* Output height (or width) of a convolution:
 *   (in + 2 pad - k) / stride + 1,
 * or 0 when the kernel is larger than the padded input. stride >= 1.        */
int nn_conv2d_out_size(int in, int k, int stride, int pad);

/* Exercise 15. Output height (or width) of a transposed convolution, the
 * size whose convolution by (k, stride, pad) gives back `in` (torch's
 * ConvTranspose2d with output_padding 0):
 *   (in - 1) stride - 2 pad + k                                             */
int nn_conv_transpose2d_out_size(int in, int k, int stride, int pad);

/* ------------------------------------------------------------- convolution */

/* torch.nn.Conv2d (no dilation, one group), w (c_out, c_in, k, k), b (c_out)
 * or NULL; x (batch, c_in, in_h, in_w), y (batch, c_out, oh, ow) with
 * oh = nn_conv2d_out_size(in_h, k, stride, pad), ow likewise:
 *   y[n][o][i][j] = b[o] + sum_c sum_p sum_q
 *                   x[n][c][i*stride + p - pad][j*stride + q - pad] w[o][c][p][q]
 * where x is 0 outside the image (the padding).                             */
void nn_conv2d_forward(float *y, const float *x, const float *w, const float *b, int batch,
                       int c_in, int in_h, int in_w, int c_out, int k, int stride, int pad,
                       float *scratch);
/* Exercise 14. The same, in plain loops: the definition. */
void nn_conv2d_forward_reference(float *y, const float *x, const float *w, const float *b,
                                 int batch, int c_in, int in_h, int in_w, int c_out, int k,
                                 int stride, int pad);

/* Every term x[n][c][iy][ix] w[o][c][p][q] of y[n][o][i][j] sends dy[n][o][i][j]
 * times w to dx and times x to dw:
 *   dx[n][c][iy][ix] += sum dy[n][o][i][j] w[o][c][p][q]   (iy = i*stride + p - pad, ...)
 *   dw[o][c][p][q]   += sum dy[n][o][i][j] x[n][c][iy][ix]
 *   db[o]            += sum_n sum_ij dy[n][o][i][j]          (each may be NULL) */
void nn_conv2d_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                        const float *w, int batch, int c_in, int in_h, int in_w, int c_out,
                        int k, int stride, int pad, float *scratch);
void nn_conv2d_backward_reference(float *dx, float *dw, float *db, const float *dy,
                                  const float *x, const float *w, int batch, int c_in, int in_h,
                                  int in_w, int c_out, int k, int stride, int pad);

/* Floats of scratch nn_conv2d_forward and nn_conv2d_backward use for up to
 * `batch` images of this shape. */
size_t nn_conv2d_scratch(int batch, int c_in, int in_h, int in_w, int c_out, int k, int stride,
                         int pad);

/* -------------------------------------------------- transposed convolution */

/* torch.nn.ConvTranspose2d (output_padding 0, no dilation, one group): the
 * adjoint of the convolution above, which maps the output back onto the
 * input. w (c_in, c_out, k, k) (torch's layout: input channels first),
 * b (c_out) or NULL; x (batch, c_in, in_h, in_w), y (batch, c_out, oh, ow),
 * oh = nn_conv_transpose2d_out_size(in_h, k, stride, pad), ow likewise.
 * Each input pixel spreads its kernel-sized stamp over the output:
 *   y[n][o][i*stride + p - pad][j*stride + q - pad] += x[n][c][i][j] w[c][o][p][q]
 * (stamps falling outside the output are cut off), after y = b.           */
void nn_conv_transpose2d_forward(float *y, const float *x, const float *w, const float *b,
                                 int batch, int c_in, int in_h, int in_w, int c_out, int k,
                                 int stride, int pad, float *scratch);
void nn_conv_transpose2d_forward_reference(float *y, const float *x, const float *w,
                                           const float *b, int batch, int c_in, int in_h,
                                           int in_w, int c_out, int k, int stride, int pad);
/*   dx[n][c][i][j] += sum_o sum_pq dy[n][o][i*stride + p - pad][j*stride + q - pad] w[c][o][p][q]
 *   dw[c][o][p][q] += sum_n sum_ij x[n][c][i][j] dy[n][o][i*stride + p - pad][...]
 *   db[o]          += sum dy[n][o][.][.]                         (each may be NULL) */
void nn_conv_transpose2d_backward(float *dx, float *dw, float *db, const float *dy,
                                  const float *x, const float *w, int batch, int c_in, int in_h,
                                  int in_w, int c_out, int k, int stride, int pad,
                                  float *scratch);
void nn_conv_transpose2d_backward_reference(float *dx, float *dw, float *db, const float *dy,
                                            const float *x, const float *w, int batch, int c_in,
                                            int in_h, int in_w, int c_out, int k, int stride,
                                            int pad);

/* Floats of scratch the transposed convolution's forward and backward use. */
size_t nn_conv_transpose2d_scratch(int batch, int c_in, int in_h, int in_w, int c_out, int k,
                                   int stride, int pad);

/* ------------------------------------------------------ batchnorm, 2-D */

/* torch.nn.BatchNorm2d on x (batch, channels, hw) (hw = h*w pixels): the
 * statistics of each channel are over the batch AND its pixels, M = batch*hw
 * numbers, so every pixel of a channel is normalised alike.
 * Train mode: mean, biased var over those M; xhat = (x - mean) / sqrt(var + eps),
 *   y = gamma xhat + beta (per channel); running = (1 - momentum) running +
 *   momentum stat, the running variance taking the unbiased var * M/(M-1).
 * Keeps xhat (batch, channels*hw), mean (channels), invstd (channels).     */
void nn_batchnorm2d_forward_train(float *y, float *xhat, float *mean, float *invstd,
                                  float *running_mean, float *running_var, const float *x,
                                  const float *gamma, const float *beta, float momentum, float eps,
                                  int batch, int channels, int hw);
/* Eval mode: y = gamma (x - running_mean) / sqrt(running_var + eps) + beta   */
void nn_batchnorm2d_forward_eval(float *y, const float *x, const float *gamma, const float *beta,
                                 const float *running_mean, const float *running_var, float eps,
                                 int batch, int channels, int hw);
/*   dbeta += sum dy,  dgamma += sum dy xhat   (sums over the batch and pixels)
 *   dx += gamma invstd / M (M dy - sum dy - xhat sum dy xhat)                 */
void nn_batchnorm2d_backward(float *dx, float *dgamma, float *dbeta, const float *dy,
                             const float *xhat, const float *invstd, const float *gamma, int batch,
                             int channels, int hw);

#endif
