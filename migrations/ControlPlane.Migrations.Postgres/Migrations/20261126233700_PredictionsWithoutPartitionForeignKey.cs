using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PredictionsWithoutPartitionForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Predictions_PredictionPartitions_PartitionId",
                table: "Predictions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "FK_Predictions_PredictionPartitions_PartitionId",
                table: "Predictions",
                column: "PartitionId",
                principalTable: "PredictionPartitions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
